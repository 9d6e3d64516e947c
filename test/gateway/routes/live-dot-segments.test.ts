import { request } from "node:http";
import t from "tap";
import { PLATFORM, startLiveFleet } from "../helpers/live-fleet.js";

/**
 * One request with its path exactly as given: undici and fetch resolve "..",
 * "%2e%2e" and "." away before sending, which is what an attacker's raw client
 * does not do.
 */
function rawRequest(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const url = new URL(base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once("error", reject);
    req.end(payload);
  });
}

t.test("dot-segments in live-view paths never reach the BMC, for GET and PATCH", async (t) => {
  const live = await startLiveFleet(1);
  t.teardown(() => live.close());
  const bmc = live.bmc("sim-1");
  const seen: string[] = [];
  bmc.onRequest = (method, path) => seen.push(`${method} ${path}`);

  const manager = `${PLATFORM}/sim-1/Managers`;
  const fan = `${manager}/bmc/Oem/OpenBmc/Fan`;
  const cases: [string, string, unknown][] = [
    ["GET", `${manager}/..`, undefined],
    ["GET", `${manager}/%2e%2e`, undefined],
    ["GET", `${manager}/%2E%2e`, undefined],
    ["GET", `${manager}/.`, undefined],
    ["GET", `${manager}/%2e`, undefined],
    ["GET", `${manager}/..%2F..%2Fredfish%2Fv1`, undefined],
    ["PATCH", `${manager}/..`, { ServiceIdentification: "x" }],
    ["PATCH", `${manager}/%2e%2e`, { ServiceIdentification: "x" }],
    ["GET", `${manager}/%2e%2e/Oem/OpenBmc/Fan/Profile`, undefined],
    ["PATCH", `${manager}/%2e%2e/Oem/OpenBmc/Fan/Profile`, { Profile: "Balanced" }],
    ["GET", `${fan}/FanControllers/%2e%2e`, undefined],
    ["PATCH", `${fan}/FanZones/..`, { FailSafePercent: 50 }],
  ];
  for (const [method, path, body] of cases) {
    const reply = await rawRequest(live.url, method, path, body);
    t.equal(reply.status, 404, `${method} ${path}`);
    t.match(reply.text, /ResourceNotFound/, `${method} ${path}`);
    t.match(reply.text, /nothing was sent to the BMC/, `${method} ${path}`);
  }
  t.same(seen, [], "the BMC received nothing");

  const fine = await rawRequest(live.url, "GET", `${manager}/bmc`);
  t.equal(fine.status, 200, "a plain manager id still reaches the BMC");
  t.same(seen, ["GET /redfish/v1/Managers/bmc"]);
});
