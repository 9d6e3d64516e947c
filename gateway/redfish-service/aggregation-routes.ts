/**
 * AggregationService and its AggregationSources: one source per registered
 * machine, the same registry as /MultiFish/v1/Platform. Creating a source
 * registers a machine, deleting one removes it, exactly as Platform POST and
 * DELETE do; the Password is write-only (always null when read).
 */
import { requireBody } from "../http/json-body.js";
import { RedfishError } from "../redfish/errors.js";
import { assertIfMatch } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { link } from "../redfish/render.js";
import { machineEtag, machinePointer } from "../platform/machine-resource.js";
import { MACHINE_ID_PATTERN, type MachineChanges, type MachineRecord, type MachineRegistry, type MachineType } from "../platform/registry.js";
import { machineOr404 } from "../routes/platform.js";
import { rethrow, type GatewayRouter } from "../routes/router.js";
import type { SchemaSet } from "../validation/schemas.js";
import { renderMembers } from "./collection.js";
import { SHOAL_OEM_VERSION } from "./oem-csdl.js";
import { rfPaths } from "./paths.js";
import { odataType, SERVED } from "./types.js";

export const AGGREGATION_SCHEMAS = { create: "aggregation-source-create.json", patch: "aggregation-source-patch.json" } as const;

export interface AggregationDeps {
  registry: MachineRegistry;
  schemas: SchemaSet;
  /** Told when a machine is removed (its BMC connections are let go). */
  onRemoved?: (machineId: string) => void;
}

interface SourceCreateBody {
  HostName: string;
  UserName: string;
  Password: string;
  Name?: string;
  Oem?: { Shoal?: { Id?: string; Type?: MachineType; Insecure?: boolean; HTTPClientTimeout?: number; AuthMethod?: "Basic" | "Session" } };
}

interface SourcePatchBody {
  HostName?: string;
  UserName?: string;
  Password?: string;
  Name?: string;
}

/** Registry paths -> this body's pointers, for the errors the registry raises. */
const SOURCE_POINTERS: Readonly<Record<string, string>> = {
  "#/Endpoint": "#/HostName",
  "#/Username": "#/UserName",
  "#/Id": "#/Oem/Shoal/Id",
  "#/Type": "#/Oem/Shoal/Type",
};
const sourcePointer = (path: string): string => {
  const pointer = machinePointer(path);
  return SOURCE_POINTERS[pointer] ?? pointer;
};

/** "https://bmc-7.rack2:443/x" -> "bmc-7.rack2": a machine Id from the host when the client names none. */
export function idFromHostName(hostName: string): string {
  const host = new URL(hostName).hostname.replace(/^\[|\]$/g, "");
  const id = host.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 64);
  return MACHINE_ID_PATTERN.test(id) ? id : `bmc-${Date.now().toString(36)}`;
}

export function sourceBody(record: MachineRecord): Record<string, unknown> {
  return {
    "@odata.type": odataType(SERVED.aggregationSource),
    "@odata.id": rfPaths.aggregationSource(record.id),
    Id: record.id,
    Name: record.name,
    Description: "A BMC registered with the gateway",
    HostName: record.endpoint,
    UserName: record.username,
    Password: null,
    Oem: {
      Shoal: {
        "@odata.type": `#${SHOAL_OEM_VERSION}.AggregationSource`,
        Type: record.type,
        MultiFishMachine: paths.machine(record.id),
      },
    },
  };
}

function respond(ctx: { set(name: string, value: string): void; body: unknown }, record: MachineRecord): void {
  const etag = machineEtag(record);
  ctx.set("ETag", etag);
  ctx.body = { ...sourceBody(record), "@odata.etag": etag };
}

export function mountAggregationRoutes(router: GatewayRouter, { registry, schemas, onRemoved }: AggregationDeps): void {
  router.get(rfPaths.aggregationService, (ctx) => {
    ctx.body = {
      "@odata.type": odataType(SERVED.aggregationService),
      "@odata.id": rfPaths.aggregationService,
      Id: "AggregationService",
      Name: "Aggregation Service",
      Description: "The fleet's BMCs, one AggregationSource each; their Managers and Systems appear in the service's collections as {machine}_{id}.",
      ServiceEnabled: true,
      Status: { State: "Enabled", Health: "OK" },
      AggregationSources: link(rfPaths.aggregationSources),
    };
  });

  router.get(rfPaths.aggregationSources, (ctx) => {
    ctx.body = renderMembers(ctx, {
      odataId: rfPaths.aggregationSources,
      odataType: odataType(SERVED.aggregationSourceCollection),
      name: "Aggregation Source Collection",
      memberIds: registry.list().map((m) => rfPaths.aggregationSource(m.id)),
    });
  });

  router.post(rfPaths.aggregationSources, async (ctx) => {
    const body = schemas.check<SourceCreateBody>(AGGREGATION_SCHEMAS.create, requireBody(ctx.state.body));
    const shoal = body.Oem?.Shoal ?? {};
    const id = shoal.Id ?? idFromHostName(body.HostName);
    if (registry.has(id)) throw RedfishError.alreadyExists("AggregationSource", shoal.Id === undefined ? "HostName" : "Oem/Shoal/Id", id);
    const record = await registry
      .create({
        id,
        endpoint: body.HostName,
        username: body.UserName,
        password: body.Password,
        ...(body.Name !== undefined && { name: body.Name }),
        ...(shoal.Type !== undefined && { type: shoal.Type }),
        ...(shoal.Insecure !== undefined && { insecure: shoal.Insecure }),
        ...(shoal.HTTPClientTimeout !== undefined && { httpClientTimeoutSeconds: shoal.HTTPClientTimeout }),
        ...(shoal.AuthMethod !== undefined && { auth: shoal.AuthMethod }),
      })
      .catch((e: unknown) => rethrow(e, { translate: sourcePointer }));
    ctx.status = 201;
    ctx.set("Location", rfPaths.aggregationSource(record.id));
    respond(ctx, record);
  });

  const member = `${rfPaths.aggregationSources}/:sourceId`;

  router.get(member, (ctx) => {
    respond(ctx, machineOr404(registry, ctx.params.sourceId ?? ""));
  });

  router.patch(member, async (ctx) => {
    const current = machineOr404(registry, ctx.params.sourceId ?? "");
    assertIfMatch(ctx.get("If-Match") || undefined, machineEtag(current));
    const body = schemas.check<SourcePatchBody>(AGGREGATION_SCHEMAS.patch, requireBody(ctx.state.body));
    const changes: MachineChanges = {
      ...(body.HostName !== undefined && { endpoint: body.HostName }),
      ...(body.UserName !== undefined && { username: body.UserName }),
      ...(body.Password !== undefined && { password: body.Password }),
      ...(body.Name !== undefined && { name: body.Name }),
    };
    const record = await registry.update(current.id, changes).catch((e: unknown) => rethrow(e, { translate: sourcePointer }));
    respond(ctx, record);
  });

  router.delete(member, async (ctx) => {
    const current = machineOr404(registry, ctx.params.sourceId ?? "");
    assertIfMatch(ctx.get("If-Match") || undefined, machineEtag(current));
    const force = ctx.query["force"] === "true";
    if (!force && registry.isTargeted(current.id)) {
      throw RedfishError.resourceInUse(`A job targets machine '${current.id}'. Remove the machine from its jobs, or delete the source with ?force=true.`);
    }
    await registry.remove(current.id, { force }).catch((e: unknown) => rethrow(e, { translate: sourcePointer }));
    onRemoved?.(current.id);
    ctx.status = 204;
  });
}
