/**
 * The standard Redfish service at /redfish/v1, beside the MultiFish API: one
 * module per resource, mounted here on the gateway's router.
 */
import type { GatewayRouter } from "../routes/router.js";
import { mountMetadata } from "./metadata.js";
import { mountOemCsdl } from "./oem-csdl.js";
import { mountServiceRoot } from "./service-root.js";

export interface RedfishServiceDeps {
  /** The service root's UUID, stable for the data directory. */
  uuid: string;
}

export function mountRedfishService(router: GatewayRouter, deps: RedfishServiceDeps): void {
  mountServiceRoot(router, { uuid: deps.uuid });
  mountMetadata(router);
  mountOemCsdl(router);
}

export { redfishProtocol } from "./protocol.js";
export { loadServiceUuid } from "./service-uuid.js";
export { OPEN_REDFISH_PATHS } from "./paths.js";
