/**
 * What every live view of a BMC does around its requests: find the machine
 * (404), tie the BMC requests to the operator's HTTP request, and PATCH only
 * after checks of ours passed on the resource as just read.
 */
import type { BmcConnection, PatchResult, RedfishClient, RedfishResource } from "../bmc/client.js";
import { requireBody } from "../http/json-body.js";
import type { GatewayContext } from "../http/state.js";
import type { MachineRecord, MachineRegistry } from "../platform/registry.js";
import { extendedInfo, RedfishError } from "../redfish/errors.js";
import { etagOfContent } from "../redfish/etag.js";
import { paths } from "../redfish/paths.js";
import { machineOr404 } from "./platform.js";

export { machineOr404 };

/**
 * The machine, if the gateway serves OpenBMC fan resources for it. A machine
 * of Type Base is a standard Redfish BMC: those resources do not exist for it,
 * so the answer is 404 (as for any URL that names nothing), and its BMC is not
 * contacted.
 */
export function openBmcMachineOr404(registry: MachineRegistry, machineId: string, managerId: string): MachineRecord {
  const machine = machineOr404(registry, machineId);
  if (machine.type !== "Extend") {
    throw new RedfishError(404, [
      {
        key: "ResourceNotFound",
        args: ["OpenBmcFan", `Managers/${managerId}/Oem/OpenBmc/Fan`],
        resolution:
          `Machine '${machine.id}' is registered with Type ${machine.type} (a standard Redfish BMC), which has no OpenBMC fan ` +
          `resources; nothing was sent to it. If its BMC is an OpenBMC, set its Type to Extend (PATCH ${paths.machine(machine.id)}).`,
      },
    ]);
  }
  return machine;
}

/** "." and ".." in any spelling a client may send them ("%2e", "%2E%2e"); the router has already decoded the parameter. */
const DOT_SEGMENT = /^\.{1,2}$/;

/**
 * A path parameter of a live view that names something on the BMC (a manager,
 * a controller or zone). A dot-segment or a slash in it would let the request
 * name another resource of the BMC than the one the route serves (a manager id
 * becomes part of the BMC's path), so it is refused before any BMC is asked.
 */
export function liveSegment(ctx: GatewayContext, name: string, resourceType: string): string {
  const value = ctx.params[name] ?? "";
  if (value === "" || DOT_SEGMENT.test(value) || /[/\\]/.test(value)) {
    throw new RedfishError(404, [
      {
        key: "ResourceNotFound",
        args: [resourceType, value],
        resolution: `'${value}' is not a ${resourceType} name (dot-segments and slashes name no resource); nothing was sent to the BMC.`,
      },
    ]);
  }
  return value;
}

/**
 * A connection whose requests are abandoned when the operator goes away before
 * the answer is written. Each request is bounded by the machine's
 * HTTPClientTimeout in the client.
 */
export function connectFor(ctx: GatewayContext, client: RedfishClient, machine: MachineRecord): BmcConnection {
  const controller = new AbortController();
  const res = ctx.res;
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return client.connect(machine, { signal: controller.signal });
}

/** The manager's ETag as the BMC gave it; a hash of its content when it gave none. */
export function managerEtag(manager: RedfishResource): string {
  return manager.etag ?? etagOfContent(manager.body);
}

export function ifMatchOf(ctx: GatewayContext): string | undefined {
  return ctx.get("If-Match") || undefined;
}

/** The PATCH body: a JSON object naming at least one property. */
export function patchBodyOf(ctx: GatewayContext): Record<string, unknown> {
  const body = requireBody(ctx.state.body);
  if (Object.keys(body).length === 0) throw RedfishError.badRequest([{ key: "EmptyJSON" }]);
  return body;
}

/**
 * Read-check-PATCH through the client's `update` (If-Match with the ETag read,
 * one re-read on 412): `check` sees the resource as read and returns the body
 * to send, or throws a RedfishError (404, 400, 412) and nothing is sent. It
 * runs again on a re-read. The client turns whatever `check` throws into a
 * BmcError; the route's own refusal is rethrown as it was thrown.
 */
export async function patchChecked(bmc: BmcConnection, path: string, check: (current: RedfishResource) => unknown): Promise<PatchResult> {
  let refusal: { error: unknown } | undefined;
  try {
    return await bmc.update(path, (current) => {
      try {
        return check(current);
      } catch (error) {
        refusal = { error };
        throw error;
      }
    });
  } catch (error) {
    if (refusal) throw refusal.error;
    throw error;
  }
}

/** The answer to a PATCH that the BMC accepted (the shape MultiFish answers with, plus a Success message). */
export function updatedBody(odataId: string, message: string): Record<string, unknown> {
  return { "@odata.id": odataId, Message: message, "@Message.ExtendedInfo": [extendedInfo({ key: "Success" })] };
}
