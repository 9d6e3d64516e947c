/**
 * The machine registry: the BMCs the gateway may act on, kept as records in
 * the core's store beside the jobs. Reads come from memory; each change is
 * written through to the store before the promise resolves.
 *
 * The password is kept because the BMC client needs it; nothing here ever
 * returns it to a caller outside the gateway's own code, and the HTTP
 * rendering replaces it with null.
 */
import { ShoalError, type ErrorDetail } from "../../src/errors.js";
import type { Store } from "../../src/store/store.js";
import type { Machine, MachineType } from "./machine.js";

export type { MachineType } from "./machine.js";
export const MACHINE_TYPES: readonly MachineType[] = ["Base", "Extend"];

/** Ids end up in URLs and result-file names: letters, digits, ".", "_", "-", never leading punctuation. */
export const MACHINE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The store record kind machines are kept under. */
export const MACHINE_RECORD_KIND = "machine";

export const DEFAULT_HTTP_CLIENT_TIMEOUT_SECONDS = 30;

/** A registered machine: what the BMC client needs (`Machine`) plus the registry's bookkeeping. */
export interface MachineRecord extends Machine {
  createdAt: string;
  updatedAt: string;
  /** Bumped on every change; the ETag derives from it. */
  revision: number;
}

export interface MachineInput {
  id: string;
  name?: string;
  type?: MachineType;
  endpoint: string;
  username: string;
  password: string;
  insecure?: boolean;
  httpClientTimeoutSeconds?: number;
  disableEtagMatch?: boolean;
  auth?: Machine["auth"];
}

export type MachineChanges = Partial<Omit<MachineInput, "id">>;

/** The part of the core store the registry needs. */
export type RecordStore = Pick<Store, "listRecords" | "saveRecord" | "deleteRecord">;

export interface MachineRegistryOptions {
  /** Whether some job targets the machine; a targeted machine is not deleted without `force`. */
  isTargeted?: (machineId: string) => boolean;
  now?: () => Date;
}

function problems(input: Partial<MachineInput>, creating: boolean): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (creating && (typeof input.id !== "string" || !MACHINE_ID_PATTERN.test(input.id))) {
    details.push({ path: "/id", kind: "format", value: input.id, message: "must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" });
  }
  if (input.type !== undefined && !MACHINE_TYPES.includes(input.type)) {
    details.push({ path: "/type", kind: "notInList", value: input.type, message: "must be Base or Extend" });
  }
  if (input.auth !== undefined && input.auth !== "Basic" && input.auth !== "Session") {
    details.push({ path: "/auth", kind: "notInList", value: input.auth, message: "must be Basic or Session" });
  }
  if (creating || input.endpoint !== undefined) {
    let ok = false;
    try {
      const text = String(input.endpoint);
      const url = new URL(text);
      // The client joins request paths to the endpoint: a query, a fragment or port 0 would be dropped or altered there, so none is taken.
      ok =
        (url.protocol === "http:" || url.protocol === "https:") &&
        url.username === "" &&
        url.password === "" &&
        url.port !== "0" &&
        !text.includes("?") &&
        !text.includes("#");
    } catch {
      ok = false;
    }
    if (!ok) {
      details.push({ path: "/endpoint", kind: "format", value: input.endpoint, message: "must be an http or https URL without credentials, query, fragment or port 0" });
    }
  }
  if (creating && typeof input.username !== "string") details.push({ path: "/username", kind: "missing", message: "is required" });
  if (creating && typeof input.password !== "string") details.push({ path: "/password", kind: "missing", message: "is required" });
  // The stored password goes only where it was given for: a new host, user or login method needs it given again.
  const relogin = input.endpoint !== undefined || input.username !== undefined || input.auth !== undefined;
  if (!creating && relogin && typeof input.password !== "string") {
    details.push({ path: "/password", kind: "missing", message: "is required with a new endpoint, username or auth method" });
  }
  const timeout = input.httpClientTimeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600)) {
    details.push({ path: "/httpClientTimeoutSeconds", kind: "outOfRange", value: timeout, message: "must be a whole number of seconds from 1 to 3600" });
  }
  return details;
}

function copy(record: MachineRecord): MachineRecord {
  return { ...record };
}

export class MachineRegistry {
  private machines: Map<string, MachineRecord> | undefined;
  private isTargetedFn: (machineId: string) => boolean;
  private readonly now: () => Date;

  constructor(
    private readonly store: RecordStore,
    options: MachineRegistryOptions = {},
  ) {
    this.isTargetedFn = options.isTargeted ?? (() => false);
    this.now = options.now ?? (() => new Date());
  }

  /** Replaces the "is this machine in use" check, for when the scheduler comes up after the registry. */
  setTargetCheck(isTargeted: (machineId: string) => boolean): void {
    this.isTargetedFn = isTargeted;
  }

  /** Loaded on first use: the store must have been opened by then. */
  private get map(): Map<string, MachineRecord> {
    this.machines ??= new Map(this.store.listRecords<MachineRecord>(MACHINE_RECORD_KIND).map((r) => [r.id, r]));
    return this.machines;
  }

  /** Reads the machines from the store again on next use (another gateway on the same database changed them). */
  reload(): void {
    this.machines = undefined;
  }

  /** Every machine, by id. */
  list(): MachineRecord[] {
    return [...this.map.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(copy);
  }

  get(id: string): MachineRecord | undefined {
    const record = this.map.get(id);
    return record ? copy(record) : undefined;
  }

  has(id: string): boolean {
    return this.map.has(id);
  }

  get size(): number {
    return this.map.size;
  }

  isTargeted(id: string): boolean {
    return this.isTargetedFn(id);
  }

  async create(input: MachineInput): Promise<MachineRecord> {
    const details = problems(input, true);
    if (details.length > 0) throw ShoalError.validation(details, "machine");
    if (this.map.has(input.id)) {
      throw new ShoalError("AlreadyExists", `machine ${input.id} already exists`, [
        { path: "/id", kind: "invalid", value: input.id, message: "is taken" },
      ]);
    }
    const at = this.now().toISOString();
    const record: MachineRecord = {
      id: input.id,
      name: input.name ?? input.id,
      type: input.type ?? "Extend",
      endpoint: input.endpoint,
      username: input.username,
      password: input.password,
      insecure: input.insecure ?? false,
      httpClientTimeoutSeconds: input.httpClientTimeoutSeconds ?? DEFAULT_HTTP_CLIENT_TIMEOUT_SECONDS,
      disableEtagMatch: input.disableEtagMatch ?? false,
      ...(input.auth !== undefined ? { auth: input.auth } : {}),
      createdAt: at,
      updatedAt: at,
      revision: 1,
    };
    await this.write(record, undefined);
    return copy(record);
  }

  async update(id: string, changes: MachineChanges): Promise<MachineRecord> {
    const current = this.map.get(id);
    if (!current) throw new ShoalError("NotFound", `machine ${id} not found`, [{ path: "", value: id, message: "no such machine" }]);
    const details = problems(changes, false);
    if (details.length > 0) throw ShoalError.validation(details, "machine");
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as MachineChanges;
    const record: MachineRecord = {
      ...current,
      ...defined,
      id,
      updatedAt: this.now().toISOString(),
      revision: current.revision + 1,
    };
    await this.write(record, current);
    return copy(record);
  }

  /** Removes a machine. Refused (Conflict) while a job targets it, unless `force`. */
  async remove(id: string, options: { force?: boolean } = {}): Promise<MachineRecord> {
    const current = this.map.get(id);
    if (!current) throw new ShoalError("NotFound", `machine ${id} not found`, [{ path: "", value: id, message: "no such machine" }]);
    if (!options.force && this.isTargetedFn(id)) {
      throw new ShoalError("Conflict", `machine ${id} is targeted by a job; remove it from the job or delete with force`);
    }
    this.map.delete(id);
    try {
      await this.store.deleteRecord(MACHINE_RECORD_KIND, id);
    } catch (error) {
      if (!this.map.has(id)) this.map.set(id, current);
      throw error;
    }
    return copy(current);
  }

  /** The map changes first, so a concurrent create of the same id sees it; a failed write puts it back. */
  private async write(record: MachineRecord, previous: MachineRecord | undefined): Promise<void> {
    this.map.set(record.id, record);
    try {
      await this.store.saveRecord(MACHINE_RECORD_KIND, record.id, record);
    } catch (error) {
      if (this.map.get(record.id) === record) {
        if (previous) this.map.set(record.id, previous);
        else this.map.delete(record.id);
      }
      throw error;
    }
  }
}
