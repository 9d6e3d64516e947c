import type { FlagNames } from "./flag-errors.js";

/** Which flag of `machines add` / `machines edit` makes each body property. */
export const MACHINE_FLAGS: FlagNames = {
  "/Id": "--id",
  "/Endpoint": "--endpoint",
  "/Username": "--bmc-user",
  "/Password": 'give the BMC password on stdin with --password-stdin: printf %s "$BMC_PASSWORD" | shoal machines add|edit ... --password-stdin',
  "/Type": "--type",
  "/Name": "--name",
  "/HTTPClientTimeout": "--timeout",
  "/AuthMethod": "--auth",
};
