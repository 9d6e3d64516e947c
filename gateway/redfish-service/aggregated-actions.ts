/**
 * POST to an action of an aggregated resource
 * (`/redfish/v1/Systems/{machine}_{id}/Actions/ComputerSystem.Reset`): sent
 * to the BMC's own target, its answer relayed with links prefixed. A BMC
 * that refuses the gateway's stored credentials, or fails, is a 502 naming
 * the machine, as for the live views.
 */
import type { MachineRegistry } from "../platform/registry.js";
import type { RedfishClient } from "../bmc/client.js";
import { RedfishError } from "../redfish/errors.js";
import { connectFor } from "../routes/live-bmc.js";
import type { GatewayRouter } from "../routes/router.js";
import { aggregateDocument, splitAggregatedId } from "./aggregate-links.js";
import { REDFISH_ROOT } from "./paths.js";

const ACTION = /^\/redfish\/v1\/(Systems|Managers|Chassis)\/([^/]+)\/Actions\/([A-Za-z0-9_.]+)\/?$/;

function parsed(text: string): Record<string, unknown> | undefined {
  if (text.trim() === "") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function mountAggregatedActions(router: GatewayRouter, { registry, client }: { registry: MachineRegistry; client: RedfishClient }): void {
  router.post(ACTION, async (ctx) => {
    const match = ACTION.exec(ctx.path);
    const family = match?.[1] ?? "";
    let member = "";
    try {
      member = decodeURIComponent(match?.[2] ?? "");
    } catch {
      throw RedfishError.resourceNotFound(family, match?.[2] ?? "");
    }
    const split = splitAggregatedId(registry, member);
    if (!split || split.memberId === "." || split.memberId === ".." || /[/\\]/.test(split.memberId)) throw RedfishError.resourceNotFound(family, member);
    const target = `${REDFISH_ROOT}/${family}/${encodeURIComponent(split.memberId)}/Actions/${match?.[3] ?? ""}`;
    const res = await connectFor(ctx, client, split.machine).request("POST", target, ctx.state.body ?? {});
    if (res.status === 401 || res.status === 403 || res.status >= 500) {
      throw new RedfishError(502, [
        {
          key: "GeneralError",
          message: `The BMC of machine '${split.machine.id}' answered the action with HTTP ${res.status}.`,
          resolution: res.status >= 500 ? "Resubmit the request later; if the BMC keeps failing, check it." : `Correct the machine's credentials (PATCH ${REDFISH_ROOT}/AggregationService/AggregationSources/${split.machine.id}).`,
        },
      ]);
    }
    const body = parsed(res.text);
    ctx.status = res.status;
    if (body !== undefined) ctx.body = aggregateDocument(body, split.machine.id, false);
  });
}
