import t from "tap";
import {
  BmcError,
  classifyTransportFailure,
  hasBmcMessage,
  httpError,
  messageIdIs,
  parseRetryAfter,
} from "../../../gateway/bmc/errors.js";

t.test("Retry-After is read as seconds or as an HTTP date", async (t) => {
  const now = Date.parse("2026-02-10T22:00:00Z");
  t.equal(parseRetryAfter("120", now), 120_000);
  t.equal(parseRetryAfter(" 0 ", now), 0);
  t.equal(parseRetryAfter("Tue, 10 Feb 2026 22:00:30 GMT", now), 30_000);
  t.equal(parseRetryAfter("Tue, 10 Feb 2026 21:00:00 GMT", now), 0, "a date in the past means now");
  t.equal(parseRetryAfter(["5", "9"], now), 5000);
  t.equal(parseRetryAfter("soon", now), undefined);
  t.equal(parseRetryAfter(undefined, now), undefined);
});

t.test("message ids match on registry and key, whatever the version", async (t) => {
  t.ok(messageIdIs("Base.1.19.0.PropertyUnknown", "Base", "PropertyUnknown"));
  t.ok(messageIdIs("Base.1.22.PropertyUnknown", "Base", "PropertyUnknown"));
  t.notOk(messageIdIs("OpenBMC.0.1.PropertyUnknown", "Base", "PropertyUnknown"));
  t.notOk(messageIdIs("Base.1.19.0.PropertyUnknownish", "Base", "PropertyUnknown"));
  t.notOk(messageIdIs(42, "Base", "PropertyUnknown"));
});

t.test("transport failures are classified, transient or not", async (t) => {
  const cases: Array<[unknown, string, boolean]> = [
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), "ConnectionRefused", true],
    [new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })], "all failed"), "ConnectionRefused", true],
    [Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }), "ConnectionReset", true],
    [Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }), "ConnectionReset", true],
    [Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }), "Timeout", true],
    [Object.assign(new Error("Connect Timeout Error"), { code: "UND_ERR_CONNECT_TIMEOUT" }), "Timeout", true],
    [Object.assign(new Error("getaddrinfo ENOTFOUND bmc-17"), { code: "ENOTFOUND" }), "DnsError", true],
    [Object.assign(new Error("wrapped"), { cause: Object.assign(new Error("EAI_AGAIN"), { code: "EAI_AGAIN" }) }), "DnsError", true],
    [Object.assign(new Error("no route"), { code: "EHOSTUNREACH" }), "NetworkUnreachable", true],
    [Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }), "TlsError", false],
    [Object.assign(new Error("bad response"), { code: "HPE_INVALID_CONSTANT" }), "InvalidResponse", false],
    [new Error("something else"), "Unknown", false],
  ];
  for (const [error, type, transient] of cases) {
    t.same(classifyTransportFailure(error), { type, transient }, `${(error as Error).message} -> ${type}`);
  }
});

t.test("an HTTP error keeps the BMC's own error as returned and its Retry-After", async (t) => {
  const body = {
    error: {
      code: "Base.1.19.0.ServiceTemporarilyUnavailable",
      message: "The service is temporarily unavailable.  Retry in 2 seconds.",
      "@Message.ExtendedInfo": [{ MessageId: "Base.1.19.0.ServiceTemporarilyUnavailable", Message: "Busy.", MessageArgs: ["2"] }],
    },
  };
  const e = httpError("m1", "PATCH /redfish/v1/Managers/bmc", { status: 503, headers: { "retry-after": "2" }, text: JSON.stringify(body) });
  t.ok(e instanceof BmcError);
  t.equal(e.type, "HttpError");
  t.equal(e.transient, true);
  t.equal(e.status, 503);
  t.equal(e.retryAfterMs, 2000);
  t.equal(e.machineId, "m1");
  t.same(e.detail["@Message.ExtendedInfo"], body.error["@Message.ExtendedInfo"]);
  t.equal(e.detail.code, "Base.1.19.0.ServiceTemporarilyUnavailable");
  t.equal(e.detail.status, 503);
  t.match(e.message, /HTTP 503: Busy\./);
  t.ok(hasBmcMessage(e, "Base", "ServiceTemporarilyUnavailable"));

  const rejected = httpError("m1", "PATCH x", { status: 400, headers: {}, text: "<html>Bad Request</html>" });
  t.equal(rejected.transient, false);
  t.equal(rejected.detail.body, "<html>Bad Request</html>");
  t.equal(rejected.retryAfterMs, undefined);
  t.equal(httpError("m1", "GET x", { status: 429, headers: {}, text: "" }).transient, true);
  t.equal(httpError("m1", "GET x", { status: 404, headers: {}, text: "" }).transient, false);
});
