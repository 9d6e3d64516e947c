/**
 * What each role may do, on both APIs. Reads (GET, HEAD, OPTIONS) need only
 * a login; so do logging in and out and previewing a schedule (a POST that
 * changes nothing). An Operator may also run things and change a machine's
 * live settings; everything else that writes is the Administrator's.
 */
import { RedfishError } from "../redfish/errors.js";
import type { GatewayMiddleware } from "../http/state.js";
import type { RoleId } from "./roles.js";

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const SEG = "[^/]+";
const JOB = `/MultiFish/v1/JobService/Jobs/${SEG}`;

/** Writes any role may send. */
const ANY_ROLE: readonly RegExp[] = [
  /^\/(redfish|MultiFish)\/v1\/SessionService\/Sessions(\/[^/]+)?\/?$/,
  /^\/MultiFish\/v1\/JobService\/Actions\/JobService\.PreviewSchedule\/?$/,
];

/** Writes an Operator may send besides: running, stopping and planning runs; a machine's live settings. */
const OPERATOR: readonly { method: string; path: RegExp }[] = [
  { method: "POST", path: new RegExp(`^${JOB}/Actions/(Trigger|Cancel|Plan)/?$`) },
  { method: "POST", path: new RegExp(`^${JOB}/Executions/${SEG}/Actions/(Cancel|Revert|Resume)/?$`) },
  { method: "POST", path: new RegExp(`^/redfish/v1/JobService/Jobs/${SEG}/Actions/Job\\.(Trigger|Cancel)/?$`) },
  { method: "PATCH", path: new RegExp(`^/MultiFish/v1/Platform/${SEG}/Managers/${SEG}(/.*)?$`) },
  { method: "PATCH", path: new RegExp(`^/redfish/v1/(Managers|Systems)/${SEG}(/.*)?$`) },
];

/** Whether `role` may send `method` to `path`. */
export function mayWrite(role: RoleId, method: string, path: string): boolean {
  if (READ_METHODS.has(method)) return true;
  if (ANY_ROLE.some((p) => p.test(path))) return true;
  if (role === "Administrator") return true;
  if (role === "Operator") return OPERATOR.some((rule) => rule.method === method && rule.path.test(path));
  return false;
}

/** 403 InsufficientPrivilege for a write the request's role may not send. */
export function authorize(): GatewayMiddleware {
  return (ctx, next) => {
    const role = ctx.state.role;
    if (role !== undefined && !mayWrite(role, ctx.method, ctx.path)) {
      throw new RedfishError(403, [
        {
          key: "InsufficientPrivilege",
          resolution: `The role ${role} of '${ctx.state.principal ?? "this account"}' may not ${ctx.method} ${ctx.path}; ask an account with a role that may.`,
        },
      ]);
    }
    return next();
  };
}
