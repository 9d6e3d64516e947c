/**
 * Every URL of the standard Redfish service at /redfish/v1, built in one
 * place. The EventService already lives here (gateway/events/paths.ts).
 */
import { eventPaths, REDFISH_ROOT } from "../events/paths.js";

const seg = (id: string): string => encodeURIComponent(id);

export { REDFISH_ROOT };

export const rfPaths = {
  versions: "/redfish",
  root: REDFISH_ROOT,
  odata: `${REDFISH_ROOT}/odata`,
  metadata: `${REDFISH_ROOT}/$metadata`,
  sessionService: `${REDFISH_ROOT}/SessionService`,
  sessions: `${REDFISH_ROOT}/SessionService/Sessions`,
  multiFishSessionService: "/MultiFish/v1/SessionService",
  multiFishSessions: "/MultiFish/v1/SessionService/Sessions",
  session: (id: string) => `${REDFISH_ROOT}/SessionService/Sessions/${seg(id)}`,
  accountService: `${REDFISH_ROOT}/AccountService`,
  accounts: `${REDFISH_ROOT}/AccountService/Accounts`,
  account: (id: string) => `${REDFISH_ROOT}/AccountService/Accounts/${seg(id)}`,
  roles: `${REDFISH_ROOT}/AccountService/Roles`,
  role: (id: string) => `${REDFISH_ROOT}/AccountService/Roles/${seg(id)}`,
  aggregationService: `${REDFISH_ROOT}/AggregationService`,
  aggregationSources: `${REDFISH_ROOT}/AggregationService/AggregationSources`,
  aggregationSource: (id: string) => `${REDFISH_ROOT}/AggregationService/AggregationSources/${seg(id)}`,
  jobService: `${REDFISH_ROOT}/JobService`,
  jobs: `${REDFISH_ROOT}/JobService/Jobs`,
  job: (id: string) => `${REDFISH_ROOT}/JobService/Jobs/${seg(id)}`,
  managers: `${REDFISH_ROOT}/Managers`,
  systems: `${REDFISH_ROOT}/Systems`,
  chassis: `${REDFISH_ROOT}/Chassis`,
  eventService: eventPaths.service,
} as const;

/** Paths that answer without credentials (DSP0266: the service root, the version object, OData documents). */
export const OPEN_REDFISH_PATHS: ReadonlySet<string> = new Set([
  rfPaths.versions,
  `${rfPaths.versions}/`,
  rfPaths.root,
  `${rfPaths.root}/`,
  rfPaths.odata,
  `${rfPaths.odata}/`,
  rfPaths.metadata,
]);

/** Where a POST logs in: the Sessions collection of either API. */
export function isLoginPath(path: string): boolean {
  return /^\/(redfish|MultiFish)\/v1\/SessionService\/Sessions(\/Members)?\/?$/.test(path);
}
