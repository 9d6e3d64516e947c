/**
 * withoutCredentials: every machine's payload, BMC requests and snapshots pass
 * through it on their way into a result file. A value with no credential in it
 * is handed back as it is (no copy per machine); one with a credential
 * anywhere is copied without it, the original left alone.
 */
import t from "tap";
import type { RequestRecord } from "../../../gateway/bmc/errors.js";
import { machineResultDocument, withoutCredentials } from "../../../gateway/results/result-writer.js";

t.test("a value without credentials comes back as is, not copied", async (t) => {
  const requests = [{ method: "GET", path: "/redfish/v1/Managers/bmc", status: 200, duration_ms: 3, headers: { etag: 'W/"1"' } }];
  const payload = [{ ManagerID: "bmc", Payload: { Profile: "Balanced", PasswordPolicy: "x" } }];
  t.equal(withoutCredentials(requests), requests);
  t.equal(withoutCredentials(payload), payload, "a name that only contains a secret word is no credential");
  t.equal(withoutCredentials(null), null);
  t.equal(withoutCredentials("Password"), "Password");
});

t.test("a credential at any depth is dropped from a copy; the original keeps it", async (t) => {
  const value = { Users: [{ Name: "root", Password: "p" }], Session: { Token: "t", Keep: [1, { authorization: "Basic x" }] } };
  const out = withoutCredentials(value);
  t.same(out, { Users: [{ Name: "root" }], Session: { Keep: [1, {}] } });
  t.equal(value.Users[0]?.Password, "p", "the original is untouched");
  t.equal(value.Session.Token, "t");
});

t.test("anything but plain data is made plain, as before", async (t) => {
  t.same(withoutCredentials({ at: new Date(0), list: [new Map([["a", 1]])] }), { at: {}, list: [{}] });
});

t.test("a result document keeps the job's payload and the requests as given when they hold no credential", async (t) => {
  const payload = [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }];
  const requests: RequestRecord[] = [{ method: "PATCH", uri: "/redfish/v1/Managers/bmc", status: 204, duration_ms: 20 }];
  const doc = machineResultDocument({
    jobId: "J",
    executionId: "E",
    machineId: "m",
    action: "PatchProfile",
    step: "PatchProfile",
    status: "Success",
    message: "ok",
    startedAt: "2026-12-01T00:00:00.000Z",
    endedAt: "2026-12-01T00:00:00.020Z",
    attempts: 1,
    payload,
    requests,
    changed: true,
    before: { bmc: { Profile: "PowerSaver" } },
    after: { bmc: { Profile: "Balanced", Password: "leaked" } },
  });
  t.equal(doc["payload"], payload);
  t.equal(doc["requests"], requests);
  t.same(doc["after"], { bmc: { Profile: "Balanced" } }, "a credential in a snapshot is still dropped");
});
