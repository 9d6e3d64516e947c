/**
 * Machines on the wire: request bodies -> registry input, records -> the
 * Machine resource. The password never leaves: it is rendered as null.
 */
import type { PointerTranslator } from "../redfish/shoal-to-redfish.js";
import { etagOfContent } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { link, ODATA_TYPES, rfc3339 } from "../redfish/render.js";
import { MACHINE_TYPES, type MachineChanges, type MachineInput, type MachineRecord, type MachineType } from "./registry.js";

export interface MachineCreateBody {
  Id: string;
  Name?: string;
  Type?: MachineType;
  "Type@Redfish.AllowableValues"?: string[];
  Endpoint: string;
  Username: string;
  Password: string;
  Insecure?: boolean;
  HTTPClientTimeout?: number;
  DisableEtagMatch?: boolean;
  AuthMethod?: "Basic" | "Session";
}

export type MachinePatchBody = Partial<Omit<MachineCreateBody, "Id" | "Type@Redfish.AllowableValues">>;

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The wire fields a create and a PATCH share, as registry fields (absent ones left out). */
function changesFromWire(body: MachinePatchBody): MachineChanges {
  return defined({
    name: body.Name,
    type: body.Type,
    endpoint: body.Endpoint,
    username: body.Username,
    password: body.Password,
    insecure: body.Insecure,
    httpClientTimeoutSeconds: body.HTTPClientTimeout,
    disableEtagMatch: body.DisableEtagMatch,
    auth: body.AuthMethod,
  });
}

export function machineInputFromWire(body: MachineCreateBody): MachineInput {
  return { ...changesFromWire(body), id: body.Id, endpoint: body.Endpoint, username: body.Username, password: body.Password };
}

export function machineChangesFromWire(body: MachinePatchBody): MachineChanges {
  return changesFromWire(body);
}

const WIRE_NAMES: Readonly<Record<string, string>> = {
  id: "Id",
  name: "Name",
  type: "Type",
  endpoint: "Endpoint",
  username: "Username",
  password: "Password",
  insecure: "Insecure",
  httpClientTimeoutSeconds: "HTTPClientTimeout",
  disableEtagMatch: "DisableEtagMatch",
  auth: "AuthMethod",
};

/** Registry error paths ("/httpClientTimeoutSeconds") -> body pointers ("#/HTTPClientTimeout"). */
export const machinePointer: PointerTranslator = (path) => {
  const name = path.split("/")[1];
  return name === undefined ? "#" : `#/${WIRE_NAMES[name] ?? name}`;
};

/** The ETag moves with the record's revision, so a password change (never shown) still changes it. */
export function machineEtag(record: MachineRecord): string {
  return etagOfContent({ id: record.id, revision: record.revision, updatedAt: record.updatedAt });
}

export function machineResource(record: MachineRecord): Record<string, unknown> {
  const connection = {
    Endpoint: record.endpoint,
    Username: record.username,
    Password: null,
    Insecure: record.insecure,
    HTTPClientTimeout: record.httpClientTimeoutSeconds,
    DisableEtagMatch: record.disableEtagMatch,
    AuthMethod: record.auth ?? "Basic",
  };
  return {
    "@odata.type": ODATA_TYPES.machine,
    "@odata.id": paths.machine(record.id),
    "@odata.etag": machineEtag(record),
    Id: record.id,
    Name: record.name,
    Description: "BMC machine registered with the gateway",
    Type: record.type,
    "Type@Redfish.AllowableValues": [...MACHINE_TYPES],
    ...connection,
    // MultiFish shows the connection settings in this sub-object; kept so its scripts read them where they expect.
    Connection: connection,
    CreatedTime: rfc3339(record.createdAt),
    UpdatedTime: rfc3339(record.updatedAt),
    Managers: link(paths.machineManagers(record.id)),
    Systems: link(paths.machineSystems(record.id)),
  };
}
