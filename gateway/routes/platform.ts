/**
 * /MultiFish/v1/Platform: the machine collection and each machine.
 * Registering a machine does not contact its BMC.
 */
import { extendedInfo, RedfishError } from "../redfish/errors.js";
import { assertIfMatch } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { ODATA_TYPES, pageSlice, parsePage, renderCollection, wantsExpand } from "../redfish/render.js";
import { requireBody } from "../http/json-body.js";
import {
  machineChangesFromWire,
  machineEtag,
  machineInputFromWire,
  machinePointer,
  machineResource,
  type MachineCreateBody,
  type MachinePatchBody,
} from "../platform/machine-resource.js";
import type { MachineRecord, MachineRegistry, MachineType } from "../platform/registry.js";
import { BODY_SCHEMAS, type SchemaSet } from "../validation/schemas.js";
import { rethrow, type GatewayRouter } from "./router.js";
import type { GatewayContext } from "../http/state.js";

export interface PlatformDeps {
  registry: MachineRegistry;
  schemas: SchemaSet;
  /** Told when a machine is removed, so its BMC connections and session can be let go. */
  onRemoved?: (machineId: string) => void;
  /** Names of the jobs that run an action on the machine which a machine of `type` cannot do. */
  jobsBlockingType?: (machineId: string, type: MachineType) => string[];
  /** The jobs with the machine among a step's targets, as "'name' (id)", to name them when it cannot go. */
  jobsTargeting?: (machineId: string) => string[];
}

/** At most five named, then a count: a machine in a thousand jobs must not make a thousand-name message. */
function namedList(items: string[]): string {
  const shown = items.slice(0, 5).join(", ");
  return items.length > 5 ? `${shown} and ${items.length - 5} more` : shown;
}

export function machineOr404(registry: MachineRegistry, id: string): MachineRecord {
  const record = registry.get(id);
  if (!record) throw RedfishError.resourceNotFound("Machine", id);
  return record;
}

function respondWithMachine(ctx: GatewayContext, record: MachineRecord): void {
  ctx.set("ETag", machineEtag(record));
  ctx.body = machineResource(record);
}

export function mountPlatform(router: GatewayRouter, { registry, schemas, onRemoved, jobsBlockingType, jobsTargeting }: PlatformDeps): void {
  router.get(paths.platform, (ctx) => {
    const page = parsePage(ctx.query);
    const machines = registry.list();
    const onPage = pageSlice(machines, page);
    ctx.body = renderCollection({
      odataId: paths.platform,
      odataType: ODATA_TYPES.machineCollection,
      name: "Platform Machine Collection",
      memberIds: onPage.map((m) => paths.machine(m.id)),
      total: machines.length,
      page,
      ...(wantsExpand(ctx.query) ? { expanded: onPage.map((m) => machineResource(m)) } : {}),
    });
  });

  router.post(paths.platform, async (ctx) => {
    const body = schemas.check<MachineCreateBody>(BODY_SCHEMAS.machineCreate, requireBody(ctx.state.body));
    if (registry.has(body.Id)) throw RedfishError.alreadyExists("Machine", "Id", body.Id);
    const record = await registry.create(machineInputFromWire(body)).catch((e: unknown) => rethrow(e, { translate: machinePointer }));
    ctx.status = 201;
    ctx.set("Location", paths.machine(record.id));
    respondWithMachine(ctx, record);
  });

  router.get(`${paths.platform}/:machineId`, (ctx) => {
    respondWithMachine(ctx, machineOr404(registry, ctx.params.machineId ?? ""));
  });

  router.patch(`${paths.platform}/:machineId`, async (ctx) => {
    const id = ctx.params.machineId ?? "";
    const current = machineOr404(registry, id);
    assertIfMatch(ctx.get("If-Match") || undefined, machineEtag(current));
    const body = schemas.check<MachinePatchBody>(BODY_SCHEMAS.machinePatch, requireBody(ctx.state.body));
    if (body.Type !== undefined && body.Type !== current.type) {
      const blocking = jobsBlockingType?.(id, body.Type) ?? [];
      if (blocking.length > 0) {
        throw RedfishError.resourceInUse(
          `Jobs ${blocking.join(", ")} run actions on ${id} that a ${body.Type} machine cannot do; change or delete them before changing its Type.`,
        );
      }
    }
    const record = await registry.update(id, machineChangesFromWire(body)).catch((e: unknown) => rethrow(e, { translate: machinePointer }));
    respondWithMachine(ctx, record);
  });

  router.delete(`${paths.platform}/:machineId`, async (ctx) => {
    const id = ctx.params.machineId ?? "";
    const current = machineOr404(registry, id);
    assertIfMatch(ctx.get("If-Match") || undefined, machineEtag(current));
    const force = ctx.query["force"] === "true";
    if (!force && registry.isTargeted(id)) {
      const jobs = jobsTargeting?.(id) ?? [];
      const which = jobs.length === 0 ? "A job targets" : `${jobs.length === 1 ? "Job" : "Jobs"} ${namedList(jobs)} ${jobs.length === 1 ? "targets" : "target"}`;
      throw RedfishError.resourceInUse(`${which} machine '${id}'. Remove the machine from ${jobs.length === 1 ? "that job" : "those jobs"}, or delete it with ?force=true.`);
    }
    await registry.remove(id, { force }).catch((e: unknown) => rethrow(e, { translate: machinePointer }));
    onRemoved?.(id);
    ctx.body = {
      Message: `Machine '${id}' was removed.`,
      "@Message.ExtendedInfo": [extendedInfo({ key: "Success" })],
    };
  });
}
