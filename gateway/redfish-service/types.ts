/**
 * The DMTF schema versions the standard service speaks: one table, read by
 * the resources (their `@odata.type`) and by $metadata (its references), so
 * the two never disagree.
 */

export interface ServedType {
  /** The schema file's namespace, e.g. "ServiceRoot". */
  namespace: string;
  /** The versioned namespace of the resources we send, e.g. "ServiceRoot.v1_17_0"; absent for collections. */
  version?: string;
  /** The entity type named in `@odata.type`. */
  entity: string;
}

function single(namespace: string, version: string): ServedType {
  return { namespace, version: `${namespace}.${version}`, entity: namespace };
}

function collection(namespace: string): ServedType {
  return { namespace, entity: namespace };
}

export const SERVED = {
  serviceRoot: single("ServiceRoot", "v1_17_0"),
  sessionService: single("SessionService", "v1_1_9"),
  session: single("Session", "v1_7_0"),
  sessionCollection: collection("SessionCollection"),
  accountService: single("AccountService", "v1_15_0"),
  account: single("ManagerAccount", "v1_12_0"),
  accountCollection: collection("ManagerAccountCollection"),
  role: single("Role", "v1_3_1"),
  roleCollection: collection("RoleCollection"),
  aggregationService: single("AggregationService", "v1_0_3"),
  aggregationSource: single("AggregationSource", "v1_4_0"),
  aggregationSourceCollection: collection("AggregationSourceCollection"),
  jobService: single("JobService", "v1_1_0"),
  job: single("Job", "v1_3_0"),
  jobCollection: collection("JobCollection"),
  managerCollection: collection("ManagerCollection"),
  systemCollection: collection("ComputerSystemCollection"),
  chassisCollection: collection("ChassisCollection"),
  eventService: single("EventService", "v1_10_0"),
  eventDestination: single("EventDestination", "v1_14_0"),
  eventDestinationCollection: collection("EventDestinationCollection"),
} as const satisfies Record<string, ServedType>;

/** Schemas a served resource also needs (shared types, BMC resources relayed as they come). */
export const ALSO_REFERENCED: readonly string[] = ["Resource", "Message", "Manager", "ComputerSystem", "Chassis", "Privileges"];

/** "#ServiceRoot.v1_17_0.ServiceRoot", or "#ManagerCollection.ManagerCollection" for a collection. */
export function odataType(type: ServedType): string {
  return `#${type.version ?? type.namespace}.${type.entity}`;
}

/** Where DMTF publishes a schema's CSDL. */
export function csdlUri(namespace: string): string {
  return `http://redfish.dmtf.org/schemas/v1/${namespace}_v1.xml`;
}
