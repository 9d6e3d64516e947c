import t from "tap";
import { BmcError, httpError } from "../../../gateway/bmc/errors.js";
import { toErrorResponse, type ExtendedInfo } from "../../../gateway/redfish/errors.js";

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
