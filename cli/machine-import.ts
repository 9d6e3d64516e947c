/**
 * Machines from a file for `machines import`: a JSON array of machine objects
 * (as `shoal export` writes them under "Machines", or that whole file), or a
 * CSV with a header row: id, endpoint, bmc_user (or username), and optionally
 * type, name, timeout, auth, insecure. Never passwords: those come from
 * --passwords-file or --password-env.
 */
import { inputError } from "./exit-codes.js";
import { isObject, type Resource } from "./resources.js";

const COLUMNS: Record<string, string> = {
  id: "Id",
  endpoint: "Endpoint",
  bmc_user: "Username",
  username: "Username",
  user: "Username",
  type: "Type",
  name: "Name",
  timeout: "HTTPClientTimeout",
  auth: "AuthMethod",
  insecure: "Insecure",
};

/** One CSV line split on commas, with "quoted, fields" and "" for a quote inside them. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(current.trim());
      current = "";
    } else current += c;
  }
  fields.push(current.trim());
  return fields;
}

export function machinesFromCsv(text: string, file: string): Resource[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  const header = csvFields(lines[0] ?? "").map((h) => h.toLowerCase().replace(/[\s-]/g, "_"));
  const unknown = header.filter((h) => COLUMNS[h] === undefined);
  if (header.includes("password")) throw inputError(`${file}: a password column is refused; give passwords with --passwords-file or --password-env`);
  if (unknown.length > 0) throw inputError(`${file}: unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (known: ${Object.keys(COLUMNS).join(", ")})`);
  for (const needed of ["id", "endpoint"]) if (!header.includes(needed)) throw inputError(`${file}: the header needs a column ${needed}`);
  return lines.slice(1).map((line, row) => {
    const fields = csvFields(line);
    const machine: Resource = {};
    header.forEach((h, i) => {
      const value = fields[i] ?? "";
      if (value === "") return;
      const key = COLUMNS[h] ?? h;
      if (key === "HTTPClientTimeout") {
        const n = Number(value);
        if (!Number.isInteger(n)) throw inputError(`${file}: line ${row + 2}: timeout "${value}" is not a whole number of seconds`);
        machine[key] = n;
      } else if (key === "Insecure") machine[key] = /^(true|yes|1)$/i.test(value);
      else machine[key] = value;
    });
    return machine;
  });
}

export function machinesFromJson(value: unknown, file: string): Resource[] {
  const list = isObject(value) && Array.isArray(value.Machines) ? value.Machines : value;
  if (!Array.isArray(list) || !list.every(isObject)) throw inputError(`${file}: expected a JSON array of machines, or {"Machines": [...]}`);
  return list;
}
