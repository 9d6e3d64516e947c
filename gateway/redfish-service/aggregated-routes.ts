/**
 * The fleet's BMC resources in the standard collections, read live as the
 * Platform views are (nothing cached): `/redfish/v1/{Systems,Managers,Chassis}`
 * gather every machine's members as `{machine}_{id}`; a member, and anything
 * under it, is the BMC's document with its links prefixed (aggregate-links.ts).
 * A manager takes PATCH with If-Match against the BMC's ETag and the fan
 * upsert guard (aggregated-manager-patch.ts).
 */
import type { BmcConnection, RedfishClient } from "../bmc/client.js";
import { isBmcError } from "../bmc/errors.js";
import type { GatewayContext } from "../http/state.js";
import type { MachineRecord, MachineRegistry } from "../platform/registry.js";
import { fromBmcError } from "../redfish/bmc-to-redfish.js";
import { errorBody, RedfishError, type Problem } from "../redfish/errors.js";
import { assertIfMatch } from "../redfish/etag.js";
import { connectFor, ifMatchOf, managerEtag, patchBodyOf, patchChecked, updatedBody } from "../routes/live-bmc.js";
import type { GatewayRouter } from "../routes/router.js";
import type { SchemaSet } from "../validation/schemas.js";
import { aggregatedId, aggregateDocument, AGGREGATED_FAMILIES, rewriteLink, splitAggregatedId, type AggregatedFamily } from "./aggregate-links.js";
import { managerPatchBody, planManagerPatch } from "./aggregated-manager-patch.js";
import { renderMembers } from "./collection.js";
import { REDFISH_ROOT } from "./paths.js";

export interface AggregatedDeps {
  registry: MachineRegistry;
  client: RedfishClient;
  schemas: SchemaSet;
}

/** BMCs read at once for a collection: enough to hide latency, few enough not to flood the gateway's sockets. */
const COLLECTION_READ_CONCURRENCY = 16;

const COLLECTION_TYPE: Readonly<Record<AggregatedFamily, [type: string, name: string]>> = {
  Systems: ["#ComputerSystemCollection.ComputerSystemCollection", "Computer System Collection"],
  Managers: ["#ManagerCollection.ManagerCollection", "Manager Collection"],
  Chassis: ["#ChassisCollection.ChassisCollection", "Chassis Collection"],
};

const DOT_SEGMENT = /^\.{1,2}$/;

function notFound(family: string, id: string): RedfishError {
  return RedfishError.resourceNotFound(family, id);
}

/** One path segment of the BMC's, refused when it could name another resource than the one asked for. */
function segment(family: string, value: string): string {
  if (value === "" || DOT_SEGMENT.test(value) || /[/\\]/.test(value)) throw notFound(family, value);
  return encodeURIComponent(value);
}

interface Target {
  machine: MachineRecord;
  memberId: string;
  bmcPath: string;
}

function targetOf(registry: MachineRegistry, family: AggregatedFamily, prefixed: string, rest: readonly string[] = []): Target {
  const split = splitAggregatedId(registry, prefixed);
  if (!split) throw notFound(family, prefixed);
  const tail = rest.map((s) => `/${segment(family, s)}`).join("");
  return { ...split, bmcPath: `${REDFISH_ROOT}/${family}/${segment(family, split.memberId)}${tail}` };
}

/** Each machine's members of a family, in registry order; a BMC that fails is named in the answer, not fatal. */
async function gather(ctx: GatewayContext, client: RedfishClient, machines: readonly MachineRecord[], family: AggregatedFamily): Promise<{ ids: string[]; problems: Problem[] }> {
  const perMachine: string[][] = machines.map(() => []);
  const problems: Problem[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < machines.length; i = next++) {
      const machine = machines[i]!;
      try {
        const collection = await connectFor(ctx, client, machine).get(`${REDFISH_ROOT}/${family}`);
        const members = Array.isArray(collection.body.Members) ? collection.body.Members : [];
        perMachine[i] = members
          .map((m: unknown) => (typeof m === "object" && m !== null ? (m as Record<string, unknown>)["@odata.id"] : undefined))
          .filter((id): id is string => typeof id === "string")
          .map((id) => rewriteLink(id, machine.id));
      } catch (error) {
        if (!isBmcError(error)) throw error;
        // A BMC without the collection (404) simply has no members of it.
        if (error.type === "HttpError" && error.status === 404) continue;
        const mapped = fromBmcError(error).problems[0];
        problems.push({ key: "GeneralError", message: mapped?.message ?? `Machine '${machine.id}' could not be read.`, resolution: mapped?.resolution ?? "Check the BMC." });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(COLLECTION_READ_CONCURRENCY, machines.length) }, worker));
  return { ids: perMachine.flat(), problems };
}

export function mountAggregatedRoutes(router: GatewayRouter, { registry, client, schemas }: AggregatedDeps): void {
  for (const family of AGGREGATED_FAMILIES) {
    const collection = `${REDFISH_ROOT}/${family}`;
    const [odataType, name] = COLLECTION_TYPE[family];

    router.get(collection, async (ctx) => {
      const { ids, problems } = await gather(ctx, client, registry.list(), family);
      const body = renderMembers(ctx, { odataId: collection, odataType, name, memberIds: ids });
      if (problems.length > 0) {
        body["@Message.ExtendedInfo"] = errorBody(problems).error["@Message.ExtendedInfo"];
      }
      ctx.body = body;
    });

    const read = async (ctx: GatewayContext, target: Target, topLevel: boolean): Promise<void> => {
      const resource = await connectFor(ctx, client, target.machine).get(target.bmcPath);
      ctx.set("ETag", managerEtag(resource));
      ctx.body = aggregateDocument(resource.body, target.machine.id, topLevel);
    };

    router.get(`${collection}/:memberId`, async (ctx) => {
      await read(ctx, targetOf(registry, family, ctx.params.memberId ?? ""), true);
    });

    const under = new RegExp(`^${collection}/([^/]+)/(.+?)/?$`);
    router.get(under, async (ctx) => {
      const match = under.exec(ctx.path);
      const rest = (match?.[2] ?? "").split("/").map((s) => decodeURIComponentSafe(family, s));
      await read(ctx, targetOf(registry, family, decodeURIComponentSafe(family, match?.[1] ?? ""), rest), false);
    });
  }

  router.patch(`${REDFISH_ROOT}/Managers/:memberId`, async (ctx) => {
    const target = targetOf(registry, "Managers", ctx.params.memberId ?? "");
    const plan = planManagerPatch(patchBodyOf(ctx), target.machine, schemas);
    const ifMatch = ifMatchOf(ctx);
    const bmc: BmcConnection = connectFor(ctx, client, target.machine);
    await patchChecked(bmc, target.bmcPath, (current) => {
      assertIfMatch(ifMatch, managerEtag(current));
      return managerPatchBody(plan, target.machine, target.memberId, current);
    });
    const changed = [...Object.keys(plan.standard), ...(plan.profile !== undefined ? ["Oem/OpenBmc/Fan/Profile"] : []), ...plan.members.map((m) => `Oem/OpenBmc/Fan/${m.collection}/${m.id}`)];
    ctx.body = updatedBody(
      `${REDFISH_ROOT}/Managers/${aggregatedId(target.machine.id, target.memberId)}`,
      `Manager '${target.memberId}' of machine '${target.machine.id}' was updated: ${changed.join(", ")}.`,
    );
  });
}

function decodeURIComponentSafe(family: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw notFound(family, value);
  }
}
