/**
 * The OpenBMC fan resources of a manager, live:
 * `.../Managers/{managerId}/Oem/OpenBmc/Fan/Profile` (GET, PATCH) and
 * `.../FanControllers`, `.../FanZones`, `.../PidControllers` (GET) with each
 * member (GET, PATCH). Every PATCH goes to the manager itself, as bmcweb wants.
 *
 * bmcweb's fan PATCH is an upsert by name, so nothing is sent until the
 * manager has been read and the guards of fan.ts have
 * passed: a controller or zone name the BMC does not have is a 404, a profile
 * outside the BMC's AllowableValues or a Zones link to a zone it does not have
 * is a 400. Bodies are checked against the action payload schemas first, so
 * `null` (bmcweb: delete) and unknown properties never reach a BMC.
 */
import type { GatewayContext } from "../../../http/state.js";
import type { MachineRecord, MachineRegistry } from "../../../platform/registry.js";
import { RedfishError, type Problem } from "../../../redfish/errors.js";
import { assertIfMatch, etagOfContent } from "../../../redfish/etag.js";
import { paths } from "../../../redfish/paths.js";
import { parsePage } from "../../../redfish/render.js";
import { connectFor, ifMatchOf, liveSegment, openBmcMachineOr404, patchBodyOf, patchChecked, updatedBody } from "../../../routes/live-bmc.js";
import type { GatewayRouter } from "../../../routes/router.js";
import { BODY_SCHEMAS, type SchemaSet } from "../../../validation/schemas.js";
import { managerPath } from "../../actions/patch-managers.js";
import type { RedfishClient, RedfishResource } from "../../client.js";
import { isBmcError } from "../../errors.js";
import { assertFanMemberExists, assertProfileAllowed, fanMemberBody, profileBody, requireFan, type OpenBmcFanView } from "./fan.js";
import { FAN_COLLECTION_NAMES, FAN_COLLECTIONS, type FanCollection } from "./fan-collections.js";
import { collectionResource, fanMembers, memberResource, profileResource, zonesAsBmcReferences, type FanScope } from "./fan-resources.js";

export interface OpenBmcFanDeps {
  registry: MachineRegistry;
  client: RedfishClient;
  schemas: SchemaSet;
}

const FAN = `${paths.platform}/:machineId/Managers/:managerId/Oem/OpenBmc/Fan`;

interface FanTarget {
  machine: MachineRecord;
  scope: FanScope;
}

function targetOf(ctx: GatewayContext, registry: MachineRegistry): FanTarget {
  const managerId = liveSegment(ctx, "managerId", "Manager");
  const machine = openBmcMachineOr404(registry, ctx.params.machineId ?? "", managerId);
  return { machine, scope: { machineId: machine.id, managerId } };
}

/** The manager's fan block, or 404 when the BMC reports none for it. */
function fanOr404(scope: FanScope, manager: RedfishResource): OpenBmcFanView {
  try {
    return requireFan(scope.machineId, scope.managerId, manager.body);
  } catch (error) {
    if (!isBmcError(error)) throw error;
    throw new RedfishError(404, [
      {
        key: "ResourceNotFound",
        args: ["OpenBmcFan", `Managers/${scope.managerId}/Oem/OpenBmc/Fan`],
        resolution: `Manager '${scope.managerId}' of machine '${scope.machineId}' reports no Oem/OpenBmc/Fan block: its BMC has no OpenBMC fan control.`,
      },
    ]);
  }
}

/** The named controller or zone as the BMC sent it, or 404 listing the names it has. */
function memberOr404(scope: FanScope, manager: RedfishResource, collection: FanCollection, id: string): Record<string, unknown> {
  const members = fanMembers(manager.body, collection);
  const member = members.get(id);
  if (member) return member;
  const existing = [...members.keys()].sort();
  throw new RedfishError(404, [
    {
      key: "ResourceNotFound",
      args: [FAN_COLLECTIONS[collection].memberType, id],
      resolution:
        `Manager '${scope.managerId}' of machine '${scope.machineId}' has ${existing.length > 0 ? `these ${collection}: ${existing.join(", ")}` : `no ${collection}`}. ` +
        "The gateway never PATCHes a name the BMC does not have (OpenBMC would create it); use an existing name.",
    },
  ]);
}

/** The guard's refusal of a `Zones` link, as a 400 pointing at the link. */
function zoneRefusal(scope: FanScope, view: OpenBmcFanView, collection: FanCollection, id: string, payload: Record<string, unknown>, error: unknown): never {
  if (!isBmcError(error) || error.type !== "ResourceNotFound") throw error;
  const zones: unknown[] = Array.isArray(payload.Zones) ? payload.Zones : [];
  // The guard names no index: ask it about each link alone to find the first it refuses.
  const index = zones.findIndex((zone) => {
    try {
      assertFanMemberExists(scope.machineId, scope.managerId, view, collection, id, { Zones: [zone] });
      return false;
    } catch {
      return true;
    }
  });
  const problem: Problem = {
    key: "ResourceNotFound",
    args: ["FanZone", index >= 0 ? String((zones[index] as Record<string, unknown>)["@odata.id"]) : "Zones"],
    relatedProperties: [index >= 0 ? `#/Zones/${index}` : "#/Zones"],
    resolution: `${error.message.replace(/; nothing was sent$/, "")}. Link only zones the manager has; nothing was sent.`,
  };
  throw RedfishError.badRequest([problem]);
}

export function mountOpenBmcFan(router: GatewayRouter, deps: OpenBmcFanDeps): void {
  const { registry, client, schemas } = deps;

  router.get(`${FAN}/Profile`, async (ctx) => {
    const { machine, scope } = targetOf(ctx, registry);
    const manager = await connectFor(ctx, client, machine).get(managerPath(scope.managerId));
    const resource = profileResource(scope, fanOr404(scope, manager));
    ctx.set("ETag", etagOfContent(resource));
    ctx.body = resource;
  });

  router.patch(`${FAN}/Profile`, async (ctx) => {
    const { machine, scope } = targetOf(ctx, registry);
    const body = schemas.check<{ Profile: string }>(BODY_SCHEMAS.fanProfilePatch, patchBodyOf(ctx));
    const ifMatch = ifMatchOf(ctx);
    await patchChecked(connectFor(ctx, client, machine), managerPath(scope.managerId), (current) => {
      const view = fanOr404(scope, current);
      assertIfMatch(ifMatch, etagOfContent(profileResource(scope, view)));
      try {
        assertProfileAllowed(scope.machineId, scope.managerId, view, body.Profile);
      } catch (error) {
        if (!isBmcError(error)) throw error;
        const allowed = error.detail.allowed ?? [];
        throw RedfishError.badRequest([
          {
            key: "PropertyValueNotInList",
            args: [body.Profile, "Profile"],
            relatedProperties: ["#/Profile"],
            resolution:
              (allowed.length > 0
                ? `Choose one of the profiles manager '${scope.managerId}' of machine '${scope.machineId}' allows: ${allowed.join(", ")}.`
                : `Manager '${scope.managerId}' of machine '${scope.machineId}' lists no allowable profiles.`) + " Nothing was sent.",
          },
        ]);
      }
      return profileBody(body.Profile);
    });
    ctx.body = updatedBody(paths.fanProfile(scope.machineId, scope.managerId), `Fan profile of manager '${scope.managerId}' of machine '${machine.id}' is now ${body.Profile}.`);
  });

  for (const collection of FAN_COLLECTION_NAMES) {
    router.get(`${FAN}/${collection}`, async (ctx) => {
      const page = parsePage(ctx.query);
      const { machine, scope } = targetOf(ctx, registry);
      const manager = await connectFor(ctx, client, machine).get(managerPath(scope.managerId));
      fanOr404(scope, manager);
      ctx.body = collectionResource(scope, collection, [...fanMembers(manager.body, collection).keys()], page);
    });

    router.get(`${FAN}/${collection}/:memberId`, async (ctx) => {
      const { machine, scope } = targetOf(ctx, registry);
      const id = liveSegment(ctx, "memberId", FAN_COLLECTIONS[collection].memberType);
      const manager = await connectFor(ctx, client, machine).get(managerPath(scope.managerId));
      fanOr404(scope, manager);
      const resource = memberResource(scope, collection, id, memberOr404(scope, manager, collection, id));
      ctx.set("ETag", etagOfContent(resource));
      ctx.body = resource;
    });

    router.patch(`${FAN}/${collection}/:memberId`, async (ctx) => {
      const { machine, scope } = targetOf(ctx, registry);
      const id = liveSegment(ctx, "memberId", FAN_COLLECTIONS[collection].memberType);
      const given = zonesAsBmcReferences(patchBodyOf(ctx), machine.id);
      const payload = schemas.check<Record<string, unknown>>(FAN_COLLECTIONS[collection].patchSchema, given);
      const ifMatch = ifMatchOf(ctx);
      await patchChecked(connectFor(ctx, client, machine), managerPath(scope.managerId), (current) => {
        const view = fanOr404(scope, current);
        const member = memberOr404(scope, current, collection, id);
        assertIfMatch(ifMatch, etagOfContent(memberResource(scope, collection, id, member)));
        try {
          assertFanMemberExists(scope.machineId, scope.managerId, view, collection, id, payload);
        } catch (error) {
          zoneRefusal(scope, view, collection, id, payload, error);
        }
        return fanMemberBody(collection, id, payload);
      });
      ctx.body = updatedBody(
        paths.fanMember(scope.machineId, scope.managerId, collection, id),
        `${FAN_COLLECTIONS[collection].memberType} '${id}' of manager '${scope.managerId}' of machine '${machine.id}' was updated: ${Object.keys(payload).join(", ")}.`,
      );
    });
  }
}
