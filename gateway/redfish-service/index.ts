/**
 * The standard Redfish service at /redfish/v1, beside the MultiFish API: one
 * module per resource, mounted here on the gateway's router.
 */
import type { GatewayRouter } from "../routes/router.js";
import type { SchemaSet } from "../validation/schemas.js";
import type { AccountStore } from "./accounts.js";
import { mountAccountRoutes } from "./account-routes.js";
import { mountSessionRoutes } from "./session-routes.js";
import type { SessionStore } from "./sessions.js";
import type { RedfishClient } from "../bmc/client.js";
import type { MachineRegistry } from "../platform/registry.js";
import { mountAggregationRoutes } from "./aggregation-routes.js";
import { mountAggregatedRoutes } from "./aggregated-routes.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import { mountJobRoutes } from "./job-routes.js";
import { mountAggregatedActions } from "./aggregated-actions.js";
import { mountMetadata } from "./metadata.js";
import { mountOemCsdl } from "./oem-csdl.js";
import { mountServiceRoot } from "./service-root.js";

export interface RedfishServiceDeps {
  /** The service root's UUID, stable for the data directory. */
  uuid: string;
  accounts: AccountStore;
  sessions: SessionStore;
  schemas: SchemaSet;
  registry: MachineRegistry;
  client: RedfishClient;
  /** Told when an AggregationSource (a machine) is deleted. */
  onRemoved?: (machineId: string) => void;
  scheduler: Scheduler;
}

export function mountRedfishService(router: GatewayRouter, deps: RedfishServiceDeps): void {
  mountServiceRoot(router, { uuid: deps.uuid });
  mountMetadata(router);
  mountOemCsdl(router);
  mountSessionRoutes(router, deps);
  mountAccountRoutes(router, deps);
  mountAggregationRoutes(router, deps);
  mountAggregatedRoutes(router, deps);
  mountAggregatedActions(router, deps);
  mountJobRoutes(router, deps);
}

export { AccountStore } from "./accounts.js";
export { SessionStore } from "./sessions.js";
export { authorize } from "./privileges.js";

export { redfishProtocol } from "./protocol.js";
export { loadServiceUuid } from "./service-uuid.js";
export { OPEN_REDFISH_PATHS } from "./paths.js";
