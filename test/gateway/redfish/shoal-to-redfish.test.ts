import t from "tap";
import { ShoalError } from "../../../src/errors.js";
import { toErrorResponse, type ExtendedInfo } from "../../../gateway/redfish/errors.js";
import { fromShoalError, pascalPointer } from "../../../gateway/redfish/shoal-to-redfish.js";

t.test("a core validation error maps each detail kind to its Base message at a wire pointer", async (t) => {
  const error = ShoalError.validation([
    { path: "/schedule/time", kind: "format", value: "25:00", message: "must be HH:MM" },
    { path: "/schedule/period/daysOfMonth/2", kind: "outOfRange", value: 32, message: "must be 1-31" },
    { path: "/name", kind: "missing", message: "is required" },
    { path: "/colour", kind: "unknown", message: "is not known" },
    { path: "/steps/0/targets/1", kind: "notFound", value: "ghost", message: "no such machine" },
    { path: "/id", kind: "notWritable", message: "is read-only" },
    { path: "/schedule/type", kind: "notInList", value: "Weekly", message: "unknown type" },
    { path: "/enabled", kind: "type", value: "yes", message: "must be boolean" },
    { path: "/schedule/period", kind: "invalid", message: "startDay is after endDay" },
  ]);
  const response = toErrorResponse(error);
  t.equal(response.status, 400);
  // Only our own entries here (no relayed BMC messages), so each has the full ExtendedInfo shape.
  const entries = response.body.error["@Message.ExtendedInfo"] as ExtendedInfo[];
  t.same(
    entries.map((e) => [e.MessageId.replace("Base.1.22.", ""), e.RelatedProperties[0], e.MessageArgs]),
    [
      ["PropertyValueFormatError", "#/Schedule/Time", ["25:00", "Schedule/Time"]],
      ["PropertyValueOutOfRange", "#/Schedule/Period/DaysOfMonth/2", ["32", "Schedule/Period/DaysOfMonth/2"]],
      ["PropertyMissing", "#/Name", ["Name"]],
      ["PropertyUnknown", "#/Colour", ["Colour"]],
      ["ResourceNotFound", "#/Steps/0/Targets/1", ["Resource", "ghost"]],
      ["PropertyNotWritable", "#/Id", ["Id"]],
      ["PropertyValueNotInList", "#/Schedule/Type", ["Weekly", "Schedule/Type"]],
      ["PropertyValueTypeError", "#/Enabled", ["yes", "Enabled"]],
      ["PropertyValueError", "#/Schedule/Period", ["Schedule/Period"]],
    ],
  );
  t.equal(entries[8]?.Resolution, "StartDay is after endDay.", "the core's explanation becomes the resolution");
});

t.test("a route can translate core paths and name the resource type of a missing reference", async (t) => {
  const error = ShoalError.validation([{ path: "/steps/0/targets/1", kind: "notFound", value: "ghost", message: "unknown" }]);
  const redfish = fromShoalError(error, { translate: () => "#/Machines/1", resourceType: () => "Machine" });
  t.same(redfish?.problems[0]?.args, ["Machine", "ghost"]);
  t.same(redfish?.problems[0]?.relatedProperties, ["#/Machines/1"]);
});

t.test("core error codes map to the statuses of REDFISH.md", async (t) => {
  const cases: [ShoalError, number, string][] = [
    [new ShoalError("NotFound", "no job", [{ path: "", value: "Job-1", message: "x" }]), 404, "ResourceNotFound"],
    [new ShoalError("AlreadyExists", "dup", [{ path: "/id", value: "m1", message: "x" }]), 409, "ResourceAlreadyExists"],
    [new ShoalError("AlreadyRunning", "running"), 409, "ResourceInUse"],
    [new ShoalError("Conflict", "in use"), 409, "ResourceInUse"],
    [new ShoalError("PreconditionFailed", "etag"), 412, "PreconditionFailed"],
    [new ShoalError("NotRunning", "finished"), 409, "GeneralError"],
    [new ShoalError("Stopped", "stopping"), 503, "ServiceShuttingDown"],
  ];
  for (const [error, status, key] of cases) {
    const response = toErrorResponse(error);
    t.equal(response.status, status, error.code);
    t.equal(response.body.error.code, `Base.1.22.${key}`, error.code);
    t.equal(response.internal, undefined, `${error.code} is not an internal error`);
  }
  const missing = toErrorResponse(new ShoalError("NotFound", "no job", [{ path: "", value: "Job-1", message: "x" }]));
  t.same(missing.body.error["@Message.ExtendedInfo"][0]?.MessageArgs, ["Resource", "Job-1"]);
});

t.test("the default pointer translation capitalises names and keeps indexes", async (t) => {
  t.equal(pascalPointer("/schedule/period/daysOfMonth/2"), "#/Schedule/Period/DaysOfMonth/2");
  t.equal(pascalPointer(""), "#");
});
