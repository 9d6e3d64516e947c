import t from "tap";
import { ShoalError } from "../../../src/errors.js";
import { errorBody, RedfishError, toErrorResponse } from "../../../gateway/redfish/errors.js";
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
