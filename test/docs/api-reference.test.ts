/**
 * Keeps docs/ in step with schemas/: every property a schema defines is named
 * in the reference (as `Name`), and every request example in the docs (a
 * fenced block opened with ```json request=<schema id>) passes the schema the
 * gateway itself compiles.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { SchemaSet } from "../../gateway/validation/schemas.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOCS = join(ROOT, "docs");
const SCHEMAS = join(ROOT, "schemas");

function files(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return files(full, ext);
    return entry.name.endsWith(ext) ? [full] : [];
  });
}

/** Every key of every `properties` object anywhere in the schema. */
function propertyNames(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => propertyNames(n, into));
  else if (typeof node === "object" && node !== null) {
    const record = node as Record<string, unknown>;
    const props = record["properties"];
    if (typeof props === "object" && props !== null) Object.keys(props).forEach((k) => into.add(k));
    Object.values(record).forEach((v) => propertyNames(v, into));
  }
  return into;
}

export interface RequestExample {
  file: string;
  line: number;
  schema: string;
  text: string;
}

/** The ```json request=ID blocks of a Markdown text. */
export function requestExamples(file: string, markdown: string): RequestExample[] {
  const examples: RequestExample[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```json\s+request=(\S+)\s*$/.exec(lines[i] ?? "");
    if (!open?.[1]) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ""); j++) body.push(lines[j] ?? "");
    examples.push({ file, line: i + 1, schema: open[1], text: body.join("\n") });
    i = j;
  }
  return examples;
}

/** `Name` as a code span of its own, or as a part of a dotted one (`Policy.Retry`, `Steps[].Mode`). */
function namedIn(markdown: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`\`(?:[^\`\\s]*[.\\]])?${escaped}(?:[.\\[][^\`\\s]*)?\``).test(markdown);
}

const docs = files(DOCS, ".md").map((file) => ({ file, text: readFileSync(file, "utf8") }));
const allDocs = docs.map((d) => d.text).join("\n");

t.test("every property a schema defines is named in the API reference", async (t) => {
  const names = new Set<string>();
  for (const file of files(SCHEMAS, ".json")) propertyNames(JSON.parse(readFileSync(file, "utf8")), names);
  t.ok(names.size > 50, "the schemas were read");
  const missing = [...names].filter((name) => !namedIn(allDocs, name)).sort();
  t.same(missing, [], "properties the docs do not name");
});

t.test("every request example in the docs validates against its schema", async (t) => {
  const schemas = SchemaSet.load(SCHEMAS);
  const examples = docs.flatMap((d) => requestExamples(d.file, d.text));
  t.ok(examples.length >= 10, `found ${examples.length} request examples`);
  const covered = new Set(examples.map((e) => e.schema));
  for (const id of ["job-create.json", "job-patch.json", "machine-create.json", "machine-patch.json", "preview-schedule.json", "jobservice-patch.json"]) {
    t.ok(covered.has(id), `an example of ${id}`);
  }
  for (const action of ["PatchProfile", "PatchManager", "PatchFanController", "PatchFanZone", "PatchPidController"]) {
    t.ok(covered.has(`actions/${action}.json`), `an example of the ${action} payload`);
  }
  for (const example of examples) {
    const where = `${example.file.slice(ROOT.length)}:${example.line}`;
    t.ok(schemas.has(example.schema), `${where}: ${example.schema} is a schema`);
    let value: unknown;
    try {
      value = JSON.parse(example.text);
    } catch (error) {
      t.fail(`${where}: not JSON (${String(error)})`);
      continue;
    }
    if (!schemas.has(example.schema)) continue;
    t.same(schemas.problems(example.schema, value), [], `${where} validates against ${example.schema}`);
  }
});

t.test("an example that breaks its schema is caught", async (t) => {
  const schemas = SchemaSet.load(SCHEMAS);
  const [example] = requestExamples("x.md", '```json request=machine-create.json\n{ "Id": "a" }\n```\n');
  t.equal(example?.schema, "machine-create.json");
  t.not(schemas.problems("machine-create.json", JSON.parse(example?.text ?? "{}")).length, 0);
});

t.test("the README and the docs never point into ../shared", async (t) => {
  for (const file of [join(ROOT, "README.md"), ...docs.map((d) => d.file)]) {
    t.notMatch(readFileSync(file, "utf8"), /\.\.\/shared/, `${file.slice(ROOT.length)} stands alone`);
  }
});

t.test("jobs create --help points to the API reference", async (t) => {
  const { runCli } = await import("../../cli/run.js");
  const { PassThrough } = await import("node:stream");
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const code = await runCli(["jobs", "create", "--help"], { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} });
  t.equal(code, 0);
  t.match(text, "docs/api.md");
  t.notMatch(text, "REDFISH.md");
});
