import { paths } from "../redfish/paths.js";
import { link, ODATA_TYPES } from "../redfish/render.js";
import type { GatewayRouter } from "./router.js";
import { eventPaths } from "../events/paths.js";

/** GET /MultiFish/v1: readable without credentials, as Redfish service roots are. */
export function mountServiceRoot(router: GatewayRouter): void {
  router.get(paths.root, (ctx) => {
    ctx.body = {
      "@odata.type": ODATA_TYPES.serviceRoot,
      "@odata.id": paths.root,
      Id: "MultiFish",
      Name: "Shoal (MultiFish-compatible service)",
      RedfishVersion: "1.17.0",
      Product: "Shoal",
      Platform: link(paths.platform),
      JobService: link(paths.jobService),
      EventService: link(eventPaths.service),
      SessionService: link(`${paths.root}/SessionService`),
    };
  });
}
