/**
 * The entry points of the standard service, all readable without
 * credentials (DSP0266): `/redfish` (the versions offered), the service root
 * at `/redfish/v1` (with or without the trailing slash), and the OData
 * service document at `/redfish/v1/odata`. $metadata is in metadata.ts.
 */
import { link } from "../redfish/render.js";
import type { GatewayRouter } from "../routes/router.js";
import { rfPaths } from "./paths.js";
import { odataType, SERVED } from "./types.js";

export interface ServiceRootDeps {
  /** Stable for the data directory (service-uuid.ts). */
  uuid: string;
}

/** Every top-level resource of the service root, as the OData service document names them. */
const TOP_LEVEL: readonly (readonly [name: string, path: string])[] = [
  ["Systems", rfPaths.systems],
  ["Managers", rfPaths.managers],
  ["Chassis", rfPaths.chassis],
  ["SessionService", rfPaths.sessionService],
  ["Sessions", rfPaths.sessions],
  ["AccountService", rfPaths.accountService],
  ["AggregationService", rfPaths.aggregationService],
  ["JobService", rfPaths.jobService],
  ["EventService", rfPaths.eventService],
];

export function serviceRootBody(uuid: string): Record<string, unknown> {
  return {
    "@odata.type": odataType(SERVED.serviceRoot),
    "@odata.id": rfPaths.root,
    Id: "RootService",
    Name: "Shoal Redfish Service",
    Description: "The fleet's BMCs aggregated, with Shoal's scheduled jobs",
    RedfishVersion: "1.17.0",
    UUID: uuid,
    Product: "Shoal",
    Vendor: "Shoal",
    ProtocolFeaturesSupported: {
      ExpandQuery: { ExpandAll: false, Levels: false, Links: false, NoLinks: false },
      FilterQuery: false,
      SelectQuery: false,
      OnlyMemberQuery: false,
      ExcerptQuery: false,
    },
    Systems: link(rfPaths.systems),
    Managers: link(rfPaths.managers),
    Chassis: link(rfPaths.chassis),
    SessionService: link(rfPaths.sessionService),
    AccountService: link(rfPaths.accountService),
    AggregationService: link(rfPaths.aggregationService),
    JobService: link(rfPaths.jobService),
    EventService: link(rfPaths.eventService),
    Links: { Sessions: link(rfPaths.sessions) },
  };
}

export function mountServiceRoot(router: GatewayRouter, { uuid }: ServiceRootDeps): void {
  router.get(rfPaths.versions, (ctx) => {
    ctx.body = { v1: `${rfPaths.root}/` };
  });
  router.get(rfPaths.root, (ctx) => {
    ctx.body = serviceRootBody(uuid);
  });
  router.get(rfPaths.odata, (ctx) => {
    ctx.body = {
      "@odata.context": `${rfPaths.metadata}`,
      value: [
        { name: "Service", kind: "Singleton", url: `${rfPaths.root}/` },
        ...TOP_LEVEL.map(([name, url]) => ({ name, kind: "Singleton", url })),
      ],
    };
  });
}
