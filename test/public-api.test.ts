/**
 * Pins the package's public surface (src/index.ts): a name added to it or
 * taken from it fails here until this list says so, so every change to the API
 * is deliberate. To change the API, edit src/index.ts and the list below
 * together (keep it sorted).
 */
import { fileURLToPath } from "node:url";
import t from "tap";
import ts from "typescript";

/** Names that exist at run time (classes, functions); everything else is a type. */
const VALUES = [
  "FileStore",
  "ManualClock",
  "MemoryStore",
  "Scheduler",
  "ShoalError",
  "describeSchedule",
  "hostZone",
  "isShoalError",
  "isValidZone",
  "nextRun",
  "nextRuns",
  "validateSchedule",
];

const TYPES = [
  "ActionContext",
  "ActionDefinition",
  "AfterTaskContext",
  "Clock",
  "ClusterHooks",
  "ContinuousSchedule",
  "CronSchedule",
  "DayOfMonth",
  "DescribeOptions",
  "ErrorCode",
  "ErrorDetail",
  "Execution",
  "ExecutionQuery",
  "ExecutionReason",
  "ExecutionState",
  "ExecutionTrigger",
  "FileStoreOptions",
  "FileStoreStats",
  "Health",
  "Job",
  "JobPatch",
  "JobQuery",
  "JobSpec",
  "JobStats",
  "Logger",
  "ManualSchedule",
  "MemoryStoreOptions",
  "MisfirePolicy",
  "NextRunsOptions",
  "OnceSchedule",
  "OverlapPolicy",
  "Page",
  "Period",
  "Policy",
  "PolicySpec",
  "PoolStatus",
  "ProblemKind",
  "RetentionPolicy",
  "RetryPolicy",
  "Schedule",
  "ScheduleType",
  "SchedulerEventName",
  "SchedulerEvents",
  "SchedulerOptions",
  "Step",
  "StepMode",
  "StepResult",
  "StepSpec",
  "StepState",
  "StopOptions",
  "Store",
  "TargetResult",
  "TargetStatus",
  "TaskError",
  "TaskFinishedEvent",
  "ValidateScheduleOptions",
  "Weekday",
];

const INDEX_JS = new URL("../src/index.js", import.meta.url);
const INDEX_DTS = fileURLToPath(new URL("../src/index.d.ts", import.meta.url));

t.test("the package's run-time exports are exactly the documented values", async (t) => {
  const exported = Object.keys((await import(INDEX_JS.href)) as Record<string, unknown>).sort();
  t.same(exported, [...VALUES].sort());
});

t.test("the type declarations export exactly the documented values and types, each with a doc comment", async (t) => {
  const program = ts.createProgram([INDEX_DTS], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(INDEX_DTS);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read ${INDEX_DTS}`);
  const values: string[] = [];
  const types: string[] = [];
  const undocumented: string[] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
    if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === "") undocumented.push(symbol.name);
  }
  t.same(values.sort(), [...VALUES].sort(), "values");
  t.same(types.sort(), [...TYPES].sort(), "types");
  t.same(undocumented, [], "every public name has a doc comment");
});
