/**
 * Live views of a machine's BMC, read through the Redfish client the actions
 * use: `/Platform/{machineId}/Systems`, `/Managers`, `/Managers/{managerId}`
 * (GET, and PATCH of standard Manager properties), and the OpenBMC fan
 * resources under each manager (bmc/oem/openbmc/fan-routes.ts). Nothing is cached: every
 * request reads the BMC. BMC failures go to the error mapper as BmcErrors.
 */
import type { RedfishClient } from "../bmc/client.js";
import { managerPath } from "../bmc/actions/patch-managers.js";
import type { MachineRecord, MachineRegistry } from "../platform/registry.js";
import { assertIfMatch } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { rebaseLinks } from "../live/rebase-links.js";
import { BODY_SCHEMAS, type SchemaSet } from "../validation/schemas.js";
import { connectFor, ifMatchOf, liveSegment, machineOr404, managerEtag, patchBodyOf, patchChecked, updatedBody } from "./live-bmc.js";
import { mountOpenBmcFan } from "../bmc/oem/openbmc/fan-routes.js";
import type { GatewayRouter } from "./router.js";

export interface MachineLiveDeps {
  registry: MachineRegistry;
  client: RedfishClient;
  schemas: SchemaSet;
}

const MACHINE = `${paths.platform}/:machineId`;

function rebase(machine: MachineRecord, body: Record<string, unknown>): Record<string, unknown> {
  return rebaseLinks(body, { machineId: machine.id, openBmcFan: machine.type === "Extend" });
}

export function mountMachineLive(router: GatewayRouter, deps: MachineLiveDeps): void {
  const { registry, client, schemas } = deps;

  for (const family of ["Systems", "Managers"] as const) {
    router.get(`${MACHINE}/${family}`, async (ctx) => {
      const machine = machineOr404(registry, ctx.params.machineId ?? "");
      const collection = await connectFor(ctx, client, machine).get(`/redfish/v1/${family}`);
      ctx.body = rebase(machine, collection.body);
    });
  }

  router.get(`${MACHINE}/Managers/:managerId`, async (ctx) => {
    const machine = machineOr404(registry, ctx.params.machineId ?? "");
    const manager = await connectFor(ctx, client, machine).get(managerPath(liveSegment(ctx, "managerId", "Manager")));
    ctx.set("ETag", managerEtag(manager));
    ctx.body = rebase(machine, manager.body);
  });

  router.patch(`${MACHINE}/Managers/:managerId`, async (ctx) => {
    const machine = machineOr404(registry, ctx.params.machineId ?? "");
    const managerId = liveSegment(ctx, "managerId", "Manager");
    // Standard Manager properties only: an `Oem` block here would bypass the fan routes' upsert guard.
    const body = schemas.check<Record<string, unknown>>(BODY_SCHEMAS.managerPatch, patchBodyOf(ctx));
    const ifMatch = ifMatchOf(ctx);
    await patchChecked(connectFor(ctx, client, machine), managerPath(managerId), (current) => {
      assertIfMatch(ifMatch, managerEtag(current));
      return body;
    });
    ctx.body = updatedBody(
      paths.machineManager(machine.id, managerId),
      `Manager '${managerId}' of machine '${machine.id}' was updated: ${Object.keys(body).join(", ")}.`,
    );
  });

  mountOpenBmcFan(router, deps);
}
