/**
 * Every JSON Schema in schemas/ (request bodies, and action payloads under
 * schemas/actions/), compiled once with ajv at start-up.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { RedfishError, type Problem } from "../redfish/errors.js";
import { problemsFromAjv, type AjvProblemOptions } from "./problems.js";
import { isObject } from "../../src/problems.js";

const addFormats = addFormatsModule.default;

/** The request-body schemas the routes use, by their `$id`. */
export const BODY_SCHEMAS = {
  jobCreate: "job-create.json",
  jobPatch: "job-patch.json",
  machineCreate: "machine-create.json",
  machinePatch: "machine-patch.json",
  jobServicePatch: "jobservice-patch.json",
  previewSchedule: "preview-schedule.json",
  managerPatch: "manager-patch.json",
  fanProfilePatch: "fan-profile-patch.json",
  fanControllerPatch: "fan-controller-patch.json",
  fanZonePatch: "fan-zone-patch.json",
  pidControllerPatch: "pid-controller-patch.json",
} as const;

/** schemas/ at the package root, seen from lib/gateway/validation/. */
export const DEFAULT_SCHEMA_DIR = fileURLToPath(new URL("../../../schemas/", import.meta.url));

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return jsonFiles(full);
      return entry.isFile() && entry.name.endsWith(".json") ? [full] : [];
    })
    .sort();
}

export class SchemaSet {
  private constructor(private readonly validators: ReadonlyMap<string, ValidateFunction>) {}

  /**
   * Reads and compiles every schema under `dir`. A schema is known by its
   * `$id`, or by its path relative to `dir` ("actions/patch-profile.json")
   * when it has none. Throws on a schema ajv's strict mode refuses.
   */
  static load(dir: string = DEFAULT_SCHEMA_DIR): SchemaSet {
    // Strict in every respect but one: cross-field rules (if Type is Cron then Cron is required)
    // name properties that the enclosing schema defines, which strictRequired cannot see.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
    addFormats(ajv);
    // Annotation only: read by the error translation, never validated by ajv.
    ajv.addKeyword({ keyword: "x-conflictsWith", schemaType: "string" });
    const ids: string[] = [];
    for (const file of jsonFiles(dir)) {
      const schema: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (!isObject(schema)) throw new Error(`${file}: a schema must be a JSON object`);
      const id = typeof schema["$id"] === "string" ? schema["$id"] : relative(dir, file).split(sep).join("/");
      ajv.addSchema(schema, typeof schema["$id"] === "string" ? undefined : id);
      ids.push(id);
    }
    const validators = new Map<string, ValidateFunction>();
    for (const id of ids) {
      const validate = ajv.getSchema(id);
      if (!validate) throw new Error(`schema ${id} did not compile`);
      validators.set(id, validate);
    }
    return new SchemaSet(validators);
  }

  has(schemaId: string): boolean {
    return this.validators.has(schemaId);
  }

  ids(): string[] {
    return [...this.validators.keys()];
  }

  /** Every problem `value` has against the schema; [] when it conforms. */
  problems(schemaId: string, value: unknown, options: AjvProblemOptions = {}): Problem[] {
    const validate = this.validators.get(schemaId);
    if (!validate) throw new Error(`unknown schema ${schemaId}`);
    if (validate(value)) return [];
    return problemsFromAjv(validate.errors ?? [], options);
  }

  /** Returns the value typed as `T` when it conforms; otherwise throws a 400 listing every problem. */
  check<T>(schemaId: string, value: unknown, options: AjvProblemOptions = {}): T {
    const problems = this.problems(schemaId, value, options);
    if (problems.length > 0) throw RedfishError.badRequest(problems);
    return value as T;
  }
}

let shared: SchemaSet | undefined;

/** The schemas of the package, compiled on first use and kept for the life of the process. */
export function defaultSchemas(): SchemaSet {
  shared ??= SchemaSet.load();
  return shared;
}
