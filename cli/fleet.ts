/**
 * A fleet as one declarative file: machines (without passwords) and jobs
 * (creation bodies), `{"Machines": [...], "Jobs": [...]}`. `plan` compares a
 * file with what the gateway has, by machine Id and job Name, and says what
 * applying it would do; `applyPlan` does it.
 */
import { CliError, ExitCode, inputError } from "./exit-codes.js";
import type { GatewayClient } from "./http.js";
import { jobBodyFromResource } from "./job-body.js";
import { isObject, paths, str, type Resource } from "./resources.js";

export const MACHINE_FIELDS = ["Id", "Name", "Type", "Endpoint", "Username", "Insecure", "HTTPClientTimeout", "DisableEtagMatch", "AuthMethod"];

export interface Fleet {
  Machines: Resource[];
  Jobs: Resource[];
}

export function machineEntry(machine: Resource): Resource {
  const out: Resource = {};
  for (const key of MACHINE_FIELDS) if (machine[key] !== undefined && machine[key] !== null) out[key] = machine[key];
  return out;
}

export async function exportFleet(client: GatewayClient): Promise<Fleet> {
  const [machines, jobs] = await Promise.all([client.members(paths.machines), client.members(paths.jobs)]);
  return { Machines: machines.map(machineEntry), Jobs: jobs.map(jobBodyFromResource) };
}

export function parseFleet(value: unknown, file: string): Fleet {
  if (!isObject(value)) throw inputError(`${file}: a fleet file is a JSON object {"Machines": [...], "Jobs": [...]}`);
  const machines = value.Machines ?? [];
  const jobs = value.Jobs ?? [];
  if (!Array.isArray(machines) || !machines.every(isObject)) throw inputError(`${file}: Machines must be an array of machine objects`);
  if (!Array.isArray(jobs) || !jobs.every(isObject)) throw inputError(`${file}: Jobs must be an array of job bodies`);
  const problems: string[] = [];
  const ids = new Set<string>();
  machines.forEach((m, i) => {
    const id = str(m, "Id");
    if (!id) problems.push(`${file}: Machines[${i}] has no Id`);
    else if (ids.has(id)) problems.push(`${file}: machine ${id} is listed twice`);
    else ids.add(id);
    if ("Password" in m) problems.push(`${file}: Machines[${i}] holds a Password; passwords come from --passwords-file or --password-env, never from the fleet file`);
  });
  const names = new Set<string>();
  jobs.forEach((j, i) => {
    const name = str(j, "Name");
    if (!name) problems.push(`${file}: Jobs[${i}] has no Name (apply matches jobs by Name)`);
    else if (names.has(name)) problems.push(`${file}: job "${name}" is listed twice`);
    else names.add(name);
  });
  if (problems.length > 0) throw inputError(...problems);
  return { Machines: machines, Jobs: jobs };
}

export type ChangeKind = "create" | "update" | "unchanged" | "delete";

export interface Change {
  kind: ChangeKind;
  resource: "machine" | "job";
  /** Machine Id or job Name. */
  name: string;
  /** The job's Id, when it exists. */
  id?: string;
  /** Properties that differ (update). */
  fields?: string[];
  body?: Resource;
}

/** JSON with keys in order, so two equal values compare equal whatever order they were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  return JSON.stringify(value);
}

function differing(desired: Resource, current: Resource): string[] {
  return Object.keys(desired).filter((k) => canonical(desired[k]) !== canonical(current[k]));
}

export async function planFleet(client: GatewayClient, fleet: Fleet, options: { prune: boolean }): Promise<Change[]> {
  const [machines, jobs] = await Promise.all([client.members(paths.machines), client.members(paths.jobs)]);
  const changes: Change[] = [];
  const machineById = new Map(machines.map((m) => [str(m, "Id") ?? "", m]));
  for (const desired of fleet.Machines) {
    const id = str(desired, "Id") ?? "";
    const current = machineById.get(id);
    if (!current) changes.push({ kind: "create", resource: "machine", name: id, body: desired });
    else {
      const fields = differing(desired, machineEntry(current));
      changes.push(fields.length > 0 ? { kind: "update", resource: "machine", name: id, fields, body: desired } : { kind: "unchanged", resource: "machine", name: id });
    }
  }
  const jobsByName = new Map<string, Resource[]>();
  for (const j of jobs) jobsByName.set(str(j, "Name") ?? "", [...(jobsByName.get(str(j, "Name") ?? "") ?? []), j]);
  for (const desired of fleet.Jobs) {
    const name = str(desired, "Name") ?? "";
    const found = jobsByName.get(name) ?? [];
    if (found.length > 1) {
      throw new CliError(ExitCode.Usage, [`jobs ${found.map((j) => str(j, "Id")).join(", ")} all have the name "${name}"; apply matches jobs by Name: rename or delete all but one`]);
    }
    const current = found[0];
    if (!current) changes.push({ kind: "create", resource: "job", name, body: desired });
    else {
      const fields = differing(desired, jobBodyFromResource(current));
      const id = str(current, "Id") ?? "";
      changes.push(fields.length > 0 ? { kind: "update", resource: "job", name, id, fields, body: desired } : { kind: "unchanged", resource: "job", name, id });
    }
  }
  if (options.prune) {
    const wantedJobs = new Set(fleet.Jobs.map((j) => str(j, "Name")));
    for (const j of jobs) if (!wantedJobs.has(str(j, "Name"))) changes.push({ kind: "delete", resource: "job", name: str(j, "Name") ?? "", id: str(j, "Id") ?? "" });
    const wantedMachines = new Set(fleet.Machines.map((m) => str(m, "Id")));
    for (const m of machines) if (!wantedMachines.has(str(m, "Id"))) changes.push({ kind: "delete", resource: "machine", name: str(m, "Id") ?? "" });
  }
  return changes;
}

/** A job body as a PATCH: Action cannot change in place, so a one-step body becomes Steps. */
function jobPatch(body: Resource): Resource {
  const { Action: action, Machines: machines, Payload: payload, ...rest } = body;
  if (action === undefined) return rest;
  return { ...rest, Steps: [{ Action: action, Machines: machines, ...(payload !== undefined ? { Payload: payload } : {}) }] };
}

/**
 * Applies in an order that cannot trip over itself: machines first (jobs
 * name them), then jobs, then pruned jobs, then pruned machines.
 */
export async function applyPlan(client: GatewayClient, changes: Change[], passwordOf: (id: string) => string | undefined): Promise<void> {
  const missing = changes.filter((c) => c.resource === "machine" && c.kind === "create" && passwordOf(c.name) === undefined).map((c) => c.name);
  if (missing.length > 0) {
    throw new CliError(ExitCode.Usage, [`new machines need a BMC password: ${missing.join(", ")}; give them with --passwords-file FILE ({"ID": "password"}) or --password-env NAME`]);
  }
  const order = (c: Change): number => (c.kind === "delete" ? (c.resource === "job" ? 2 : 3) : c.resource === "machine" ? 0 : 1);
  for (const c of [...changes].sort((a, b) => order(a) - order(b))) {
    if (c.kind === "unchanged") continue;
    if (c.resource === "machine") {
      if (c.kind === "create") await client.post(paths.machines, { ...c.body, Password: passwordOf(c.name) });
      else if (c.kind === "update") {
        // Only what differs: a password is never compared nor re-sent (shoal machines edit changes it).
        const patch: Resource = {};
        for (const field of c.fields ?? []) if (field !== "Id") patch[field] = c.body?.[field];
        await client.patch(paths.machine(c.name), patch);
      } else await client.delete(paths.machine(c.name));
    } else if (c.kind === "create") await client.post(paths.jobs, c.body);
    else if (c.kind === "update") await client.patch(paths.job(c.id ?? ""), jobPatch(c.body ?? {}));
    else await client.delete(paths.job(c.id ?? ""));
  }
}
