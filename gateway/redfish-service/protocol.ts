/**
 * What DSP0266 asks of every response of the standard service, beyond what
 * the gateway already sends everywhere (OData-Version, JSON):
 * - a request naming an OData-Version other than 4.0 is refused with 412, one
 *   with a `$` query parameter the service does not implement with 501;
 * - `Cache-Control` on every response;
 * - `Allow` on GET and HEAD, listing what the resource takes;
 * - `Link: <schema>; rel=describedby` on GET and HEAD of a resource, naming the
 *   DMTF JSON schema of its `@odata.type`.
 */
import { RedfishError } from "../redfish/errors.js";
import type { GatewayMiddleware } from "../http/state.js";
import type { GatewayRouter } from "../routes/router.js";
import { eventPaths } from "../events/paths.js";

const SCHEMA_BASE = "http://redfish.dmtf.org/schemas/v1";

/** The `$` query parameters the service implements (paging; $filter on the SSE stream, $expand of subscriptions); any other is 501 (DSP0266). */
const SUPPORTED_QUERY: ReadonlySet<string> = new Set(["$top", "$skip"]);

/** Whether a path belongs to the standard service (and so to this middleware). */
export function isRedfishPath(path: string): boolean {
  return path === "/redfish" || path.startsWith("/redfish/");
}

/** "#ServiceRoot.v1_17_0.ServiceRoot" -> ".../ServiceRoot.v1_17_0.json"; "#X.X" -> ".../X.json". */
export function schemaLink(odataType: string): string | undefined {
  const match = /^#([A-Za-z0-9]+)(?:\.(v\d+_\d+_\d+))?\.[A-Za-z0-9]+$/.exec(odataType);
  if (!match) return undefined;
  return `${SCHEMA_BASE}/${match[1]}${match[2] === undefined ? "" : `.${match[2]}`}.json`;
}

/** The methods the router serves at `path` (HEAD with GET), in a stable order. */
export function allowedMethods(router: GatewayRouter, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of router.match(path, "GET").path) for (const m of layer.methods) methods.add(m);
  if (methods.has("GET")) methods.add("HEAD");
  const order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
  return order.filter((m) => methods.has(m));
}

export function redfishProtocol(router: GatewayRouter): GatewayMiddleware {
  return async (ctx, next) => {
    if (!isRedfishPath(ctx.path)) return next();
    ctx.set("Cache-Control", "no-cache");
    const odataVersion = ctx.get("OData-Version");
    if (odataVersion !== "" && odataVersion.trim() !== "4.0") {
      throw new RedfishError(412, [
        {
          key: "GeneralError",
          message: `This service speaks OData version 4.0; the request asked for OData-Version '${odataVersion.slice(0, 20)}'.`,
          resolution: "Send OData-Version: 4.0, or no OData-Version header, and resubmit the request.",
        },
      ]);
    }
    const unsupported = Object.keys(ctx.query).find(
      (name) =>
        name.startsWith("$") &&
        !SUPPORTED_QUERY.has(name) &&
        !(name === "$filter" && ctx.path === eventPaths.sse) &&
        !(name === "$expand" && ctx.path.startsWith(eventPaths.subscriptions)),
    );
    if (unsupported !== undefined) {
      throw new RedfishError(501, [{ key: "QueryParameterUnsupported", args: [unsupported.slice(0, 50)] }]);
    }
    await next();
    if (ctx.method !== "GET" && ctx.method !== "HEAD") return;
    if (ctx.status < 200 || ctx.status >= 300) return;
    const allow = allowedMethods(router, ctx.path);
    if (allow.length > 0) ctx.set("Allow", allow.join(", "));
    const body: unknown = ctx.body;
    if (typeof body === "object" && body !== null && !Buffer.isBuffer(body)) {
      const type = (body as Record<string, unknown>)["@odata.type"];
      const schema = typeof type === "string" ? schemaLink(type) : undefined;
      if (schema !== undefined) ctx.set("Link", `<${schema}>; rel=describedby`);
    }
  };
}
