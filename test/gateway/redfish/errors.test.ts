import t from "tap";
import { ShoalError } from "../../../src/errors.js";
import { BmcError, httpError } from "../../../gateway/bmc/errors.js";
import {
  errorBody,
  formatArg,
  fromShoalError,
  pascalPointer,
  RedfishError,
  toErrorResponse,
  type ExtendedInfo,
} from "../../../gateway/redfish/errors.js";
import { BASE_REGISTRY, MESSAGES, messageId, messageText, type MessageKey } from "../../../gateway/redfish/messages.js";

t.test("one problem: code is its MessageId and the entry carries every Redfish field", async (t) => {
  const body = errorBody([
    { key: "PropertyValueFormatError", args: ["25:00", "Schedule/Time"], relatedProperties: ["#/Schedule/Time"] },
  ]);
  t.equal(body.error.code, "Base.1.22.PropertyValueFormatError");
  t.equal(body.error.message, "The value '25:00' for the property Schedule/Time is not in a valid format.");
  const [entry] = body.error["@Message.ExtendedInfo"];
  t.same(entry, {
    "@odata.type": "#Message.v1_1_1.Message",
    MessageId: "Base.1.22.PropertyValueFormatError",
    Message: "The value '25:00' for the property Schedule/Time is not in a valid format.",
    MessageArgs: ["25:00", "Schedule/Time"],
    RelatedProperties: ["#/Schedule/Time"],
    Severity: "Warning",
    MessageSeverity: "Warning",
    Resolution: MESSAGES.PropertyValueFormatError.resolution,
  });
});

t.test("several problems: code is GeneralError and each problem has its own entry", async (t) => {
  const body = errorBody([
    { key: "PropertyMissing", args: ["Name"], relatedProperties: ["#/Name"] },
    { key: "PropertyUnknown", args: ["Colour"], relatedProperties: ["#/Colour"] },
  ]);
  t.equal(body.error.code, "Base.1.22.GeneralError");
  t.same(
    body.error["@Message.ExtendedInfo"].map((e) => [e.MessageId, e.RelatedProperties]),
    [
      ["Base.1.22.PropertyMissing", ["#/Name"]],
      ["Base.1.22.PropertyUnknown", ["#/Colour"]],
    ],
  );
  t.match(body.error.message, /2 problems/);
});

t.test("every registry text fills its arguments and never shows 'undefined'", async (t) => {
  for (const key of Object.keys(MESSAGES) as MessageKey[]) {
    const def = MESSAGES[key];
    const args = def.args.map((a) => `<${a}>`);
    const text = messageText(key, args);
    for (const a of args) t.ok(text.includes(a), `${key} shows ${a}`);
    t.notMatch(messageText(key, []), /undefined/, `${key} without args`);
    t.ok(messageId(key).startsWith(`${BASE_REGISTRY}.`));
  }
});

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

t.test("an unexpected error is a bare 500: nothing of it reaches the body, all of it goes to the log", async (t) => {
  const bug = new TypeError("cannot read properties of undefined (reading 'secretField') at /srv/shoal/x.js");
  const response = toErrorResponse(bug);
  t.equal(response.status, 500);
  t.equal(response.body.error.code, "Base.1.22.InternalError");
  const text = JSON.stringify(response.body);
  t.notMatch(text, /secretField|\/srv\/shoal|TypeError|stack/);
  t.equal(response.internal, bug);

  t.equal(toErrorResponse("a thrown string").status, 500);
  t.equal(toErrorResponse(undefined).status, 500);
  const storeFailure = new ShoalError("StoreError", "EACCES: /var/lib/shoal/shoal.json");
  const stored = toErrorResponse(storeFailure);
  t.equal(stored.status, 500, "a store failure is ours, not the client's");
  t.notMatch(JSON.stringify(stored.body), /EACCES/);
});

t.test("HTTP errors thrown by Koa or its helpers keep their client status", async (t) => {
  const httpError = Object.assign(new Error("Method Not Allowed"), { status: 405, expose: true });
  t.equal(toErrorResponse(httpError).status, 405);
  t.equal(toErrorResponse(httpError).body.error.code, "Base.1.22.OperationNotAllowed");
  const hidden = Object.assign(new Error("boom"), { status: 502, expose: false });
  t.equal(toErrorResponse(hidden).status, 500, "a 5xx from a helper is still ours");
});

t.test("a RedfishError keeps its status and extra headers", async (t) => {
  const response = toErrorResponse(RedfishError.methodNotAllowed(["GET", "POST"]));
  t.equal(response.status, 405);
  t.same(response.headers, { Allow: "GET, POST" });
});

t.test("message arguments spell values as Redfish asks", async (t) => {
  t.equal(formatArg(null), "null");
  t.equal(formatArg(12.5), "12.5");
  t.equal(formatArg(false), "false");
  t.equal(formatArg({ a: [1] }), '{"a":[1]}');
  t.equal(formatArg("x".repeat(500)).length, 203, "long values are cut");
});

t.test("the default pointer translation capitalises names and keeps indexes", async (t) => {
  t.equal(pascalPointer("/schedule/period/daysOfMonth/2"), "#/Schedule/Period/DaysOfMonth/2");
  t.equal(pascalPointer(""), "#");
});

t.test("a BMC's own 4xx keeps its status, code and ExtendedInfo as the BMC sent them", async (t) => {
  const bmcInfo = { "@odata.type": "#Message.v1_1_1.Message", MessageId: "Base.1.19.0.PropertyValueNotInList", Message: "no", MessageArgs: ["a", "b"], MessageSeverity: "Warning", Vendor: "kept" };
  const error = httpError("server-1", "PATCH /redfish/v1/Managers/bmc", {
    status: 400,
    headers: {},
    text: JSON.stringify({ error: { code: "Base.1.19.0.PropertyValueNotInList", message: "no", "@Message.ExtendedInfo": [bmcInfo] } }),
  });
  const response = toErrorResponse(error);
  t.equal(response.status, 400);
  t.equal(response.body.error.code, "Base.1.19.0.PropertyValueNotInList");
  t.same(response.body.error["@Message.ExtendedInfo"], [bmcInfo], "verbatim, unknown fields included");
  t.match(response.body.error.message, /machine 'server-1'.*HTTP 400/);
  t.equal(response.internal, undefined, "not our bug");
});

t.test("a BMC 429 passes on its Retry-After; a BMC 4xx without a Redfish body still gets one entry", async (t) => {
  const limited = toErrorResponse(httpError("server-1", "GET /redfish/v1/Managers/bmc", { status: 429, headers: { "retry-after": "3" }, text: "" }));
  t.equal(limited.status, 429);
  t.equal(limited.headers["Retry-After"], "3");
  t.same(limited.body.error["@Message.ExtendedInfo"].map((e) => e.MessageId), ["Base.1.22.GeneralError"]);
  t.match(limited.body.error["@Message.ExtendedInfo"][0]!.Message, /server-1/);
});

t.test("the BMC refusing the gateway's credentials is a 502 naming the machine, never the operator's 401", async (t) => {
  const response = toErrorResponse(httpError("server-1", "GET /redfish/v1/Managers/bmc", { status: 401, headers: {}, text: "" }));
  t.equal(response.status, 502);
  t.equal(response.headers["WWW-Authenticate"], undefined);
  const entry = response.body.error["@Message.ExtendedInfo"][0] as ExtendedInfo;
  t.match(entry.Message, /machine 'server-1' refused the gateway's credentials/);
  t.match(entry.Resolution, /PATCH \/MultiFish\/v1\/Platform\/server-1/);
});

t.test("a BMC 5xx or no answer at all is 502 GeneralError naming the machine", async (t) => {
  const failing = toErrorResponse(httpError("server-2", "GET /redfish/v1/Managers/bmc", { status: 503, headers: {}, text: "<html>down</html>" }));
  t.equal(failing.status, 502);
  t.equal(failing.body.error.code, "Base.1.22.GeneralError");
  t.match(failing.body.error.message, /machine 'server-2' failed.*HTTP 503/);

  for (const type of ["ConnectionRefused", "ConnectionReset", "Timeout", "DnsError", "TlsError", "InvalidResponse", "Unknown"] as const) {
    const response = toErrorResponse(new BmcError({ type, transient: true, machineId: "server-3", message: "GET /redfish/v1/Managers/bmc failed" }));
    t.equal(response.status, 502, type);
    t.equal(response.body.error.code, "Base.1.22.GeneralError", type);
    t.match(response.body.error.message, /^The BMC of machine 'server-3' /, type);
    t.match(response.body.error["@Message.ExtendedInfo"][0]!.Message, /server-3/, type);
  }
});

t.test("our own refusals before sending map to 404/400, and a closed client to 503", async (t) => {
  t.equal(toErrorResponse(new BmcError({ type: "ResourceNotFound", transient: false, message: "no zone" })).status, 404);
  t.equal(toErrorResponse(new BmcError({ type: "PropertyValueNotInList", transient: false, message: "no profile" })).status, 400);
  const closed = toErrorResponse(new BmcError({ type: "ClientClosed", transient: false, message: "shut down" }));
  t.equal(closed.status, 503);
  t.equal(closed.body.error.code, "Base.1.22.ServiceShuttingDown");
});
