import t from "tap";
import { schedulePointerTranslator, wirePointer } from "../../../gateway/jobs/wire-pointers.js";
import type { BodyShape } from "../../../gateway/jobs/wire-types.js";

const single: BodyShape = { steps: "single", daysOfMonthAsString: false };
const steps: BodyShape = { steps: "steps", daysOfMonthAsString: false };

t.test("a MultiFish body's implicit step points at its top-level fields", async (t) => {
  t.equal(wirePointer("/steps/0/targets/1", single), "#/Machines/1");
  t.equal(wirePointer("/steps/0/targets", single), "#/Machines");
  t.equal(wirePointer("/steps/0/action", single), "#/Action");
  t.equal(wirePointer("/steps/0", single), "#/Action");
  t.equal(wirePointer("/steps/0/payload/1/Payload/Profile", single), "#/Payload/1/Payload/Profile");
});

t.test("a Steps body points into its Steps array, keeping payload paths as the client spelled them", async (t) => {
  t.equal(wirePointer("/steps/2/targets/0", steps), "#/Steps/2/Machines/0");
  t.equal(wirePointer("/steps/1/mode", steps), "#/Steps/1/Mode");
  t.equal(wirePointer("/steps/1/continueOnFailure", steps), "#/Steps/1/ContinueOnFailure");
  t.equal(wirePointer("/steps/0/payload/0/FanControllerID", steps), "#/Steps/0/Payload/0/FanControllerID");
  t.equal(wirePointer("/steps/0", steps), "#/Steps/0");
  t.equal(wirePointer("/steps", steps), "#/Steps");
});

t.test("schedule paths capitalise; DaysOfMonth given as a string points at the string", async (t) => {
  t.equal(wirePointer("/schedule/period/daysOfMonth/2", single), "#/Schedule/Period/DaysOfMonth/2");
  t.equal(wirePointer("/schedule/period/daysOfMonth/2", { ...single, daysOfMonthAsString: true }), "#/Schedule/Period/DaysOfMonth");
  t.equal(wirePointer("/schedule/timeZone", single), "#/Schedule/TimeZone");
  t.equal(wirePointer("/schedule/period/startDay", single), "#/Schedule/Period/StartDay");
  t.equal(schedulePointerTranslator(single)("/time"), "#/Schedule/Time");
});

t.test("policy paths in milliseconds point at the seconds fields the client sent", async (t) => {
  t.equal(wirePointer("/policy/taskTimeoutMs", single), "#/Policy/TaskTimeoutSeconds");
  t.equal(wirePointer("/policy/executionTimeoutMs", single), "#/Policy/ExecutionTimeoutSeconds");
  t.equal(wirePointer("/policy/retry/initialDelayMs", single), "#/Policy/Retry/InitialDelaySeconds");
  t.equal(wirePointer("/policy/retry/maxAttempts", single), "#/Policy/Retry/MaxAttempts");
});

t.test("top-level fields capitalise; the whole body is #", async (t) => {
  t.equal(wirePointer("/name", single), "#/Name");
  t.equal(wirePointer("/enabled", single), "#/Enabled");
  t.equal(wirePointer("", single), "#");
  t.equal(wirePointer("/metadata/wire", single), "#", "internal metadata is not the client's");
});

t.test("rollout paths point at the top-level Rollout the client sent, not into Policy", async (t) => {
  t.equal(wirePointer("/policy/rollout/pauseMs", single), "#/Rollout/PauseSeconds");
  t.equal(wirePointer("/policy/rollout/batchPercent", steps), "#/Rollout/BatchPercent");
  t.equal(wirePointer("/policy/rollout", single), "#/Rollout");
});
