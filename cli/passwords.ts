/**
 * BMC passwords for machines created in bulk (`apply`, `machines import`):
 * from a JSON file {"machine-id": "password"} or one environment variable for
 * all, never from the command line (it would show in `ps`).
 */
import { readFile } from "node:fs/promises";
import type { Args, Context } from "./command.js";
import { inputError, usageError } from "./exit-codes.js";
import { isObject } from "./resources.js";

export const PASSWORD_OPTIONS = {
  "passwords-file": { type: "string", value: "FILE", description: 'BMC passwords of new machines as JSON {"ID": "password"} (keep it 0600)' },
  "password-env": { type: "string", value: "NAME", description: "the environment variable holding the BMC password of every new machine" },
} as const;

export async function passwordSource(ctx: Context, args: Args): Promise<(id: string) => string | undefined> {
  const file = args.string("passwords-file");
  const envName = args.string("password-env");
  if (file !== undefined && envName !== undefined) throw usageError("--passwords-file and --password-env do not mix");
  if (envName !== undefined) {
    const value = ctx.io.env[envName];
    if (value === undefined || value === "") throw inputError(`--password-env ${envName}: that variable is not set`);
    return () => value;
  }
  if (file === undefined) return () => undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError(`--passwords-file ${file}: ${code === "ENOENT" ? "no such file" : code ?? "not valid JSON"}`);
  }
  if (!isObject(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) {
    throw inputError(`--passwords-file ${file}: expected {"machine-id": "password", ...}`);
  }
  const passwords = parsed as Record<string, string>;
  return (id) => passwords[id];
}
