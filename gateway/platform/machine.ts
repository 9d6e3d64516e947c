/**
 * A machine as the BMC client needs it. The registry that stores, validates and
 * renders machines lives beside this file; this is only the shape it hands out.
 * The wire form (`Endpoint`, `HTTPClientTimeout`, `DisableEtagMatch`...) is mapped
 * to these camelCase fields by the gateway.
 */

/** `Base`: a standard Redfish BMC. `Extend`: OpenBMC with the OEM fan resources. */
export type MachineType = "Base" | "Extend";

/** How the client authenticates: HTTP Basic on every request, or one Redfish session. */
export type BmcAuthMode = "Basic" | "Session";

export interface Machine {
  id: string;
  name: string;
  type: MachineType;
  /** Base URL of the BMC, e.g. `https://10.0.0.12` (a path prefix is kept). */
  endpoint: string;
  username: string;
  /** Write-only in the API; never logged, never written to a result file. */
  password: string;
  /** Skip TLS certificate verification for this machine only. */
  insecure: boolean;
  /** Connect and request timeout, in seconds (fractions allowed). */
  httpClientTimeoutSeconds: number;
  /** Send PATCHes without `If-Match` (for BMCs whose ETags are broken). */
  disableEtagMatch: boolean;
  /** Defaults to `Basic`. */
  auth?: BmcAuthMode;
}
