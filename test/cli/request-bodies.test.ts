import { writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { run } from "./helpers.js";
import { tempDir } from "./results-fixtures.js";
import { stubServer, type StubRequest } from "./stub-server.js";

/** Echoes what it got as the created resource, as the gateway would answer a create. */
async function echoServer() {
  return stubServer((req: StubRequest) => {
    const body = typeof req.body === "object" && req.body !== null ? (req.body as Record<string, unknown>) : {};
    if (req.method === "POST" && req.url === "/MultiFish/v1/JobService/Jobs") {
      return { status: 201, headers: { Location: "/MultiFish/v1/JobService/Jobs/Job-1" }, body: { ...body, Id: "Job-1", Status: "Pending", ScheduleDescription: "At 22:00 on Monday through Friday", NextRunTime: "2026-02-10T14:00:00Z" } };
    }
    if (req.method === "POST" && req.url === "/MultiFish/v1/Platform") {
      return { status: 201, headers: { Location: "/MultiFish/v1/Platform/server-1" }, body: { ...body, Password: null } };
    }
    if (req.method === "PATCH") return { body: { Id: "Job-1", Name: "n", Status: body.Enabled === false ? "Paused" : "Pending", ScheduleDescription: "s" } };
    if (req.method === "DELETE") return { status: 204 };
    return { status: 404, body: {} };
  });
}

t.test("jobs create from flags sends a MultiFish-shaped body with the wire Schedule", async (t) => {
  const stub = await echoServer();
  t.teardown(() => stub.close());
  const dir = tempDir("shoal-cli-");
  const payloadFile = join(dir, "profile.json");
  writeFileSync(payloadFile, JSON.stringify([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]));
  const r = await run([
    "jobs", "create", "--url", stub.url, "--name", "Nightly PowerSaver", "--action", "PatchProfile",
    "--machines", "server-1, server-2", "--payload-file", payloadFile, "--at", "22:00", "--days", "Mon-Fri",
    "--from", "2026-02-10", "--tz", "Asia/Taipei", "--disabled",
  ]);
  t.equal(r.code, 0, r.stderr);
  t.same(stub.requests[0]?.body, {
    Name: "Nightly PowerSaver",
    Action: "PatchProfile",
    Machines: ["server-1", "server-2"],
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    Enabled: false,
    Schedule: {
      Type: "Continuous",
      Time: "22:00:00",
      TimeZone: "Asia/Taipei",
      Period: { StartDay: "2026-02-10", DaysOfWeek: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] },
    },
  });
  t.equal(r.stdout, 'Created Job-1 "Nightly PowerSaver": At 22:00 on Monday through Friday; next run 2026-02-10T14:00:00Z (Pending)\n');
});

t.test("jobs create -f sends the file as it is; mixing -f with flags is refused", async (t) => {
  const stub = await echoServer();
  t.teardown(() => stub.close());
  const dir = tempDir("shoal-cli-");
  const body = { Name: "once", Machines: ["m"], Action: "PatchProfile", Payload: [], Schedule: { Type: "Once", Time: "10:00:00", Period: null } };
  writeFileSync(join(dir, "body.json"), JSON.stringify(body));
  const r = await run(["jobs", "create", "-f", join(dir, "body.json"), "--url", stub.url, "--json"]);
  t.equal(r.code, 0);
  t.same(stub.requests[0]?.body, body);
  t.equal(JSON.parse(r.stdout).Id, "Job-1");
  const stdin = await run(["jobs", "create", "-f", "-", "--url", stub.url], { stdin: JSON.stringify(body) });
  t.equal(stdin.code, 0);
  t.same(stub.requests[1]?.body, body);
  const mixed = await run(["jobs", "create", "-f", join(dir, "body.json"), "--name", "x", "--url", stub.url]);
  t.equal(mixed.code, 2);
  t.match(mixed.stderr, /-f takes the whole body; drop --name/);
  writeFileSync(join(dir, "broken.json"), "{");
  const broken = await run(["jobs", "create", "-f", join(dir, "broken.json"), "--url", stub.url]);
  t.equal(broken.code, 2);
  t.match(broken.stderr, /broken\.json: not valid JSON/);
  const missing = await run(["jobs", "create", "-f", join(dir, "nope.json"), "--url", stub.url]);
  t.match(missing.stderr, /nope\.json: no such file/);
  const noSchedule = await run(["jobs", "create", "--name", "n", "--action", "PatchProfile", "--machines", "m", "--url", stub.url]);
  t.equal(noSchedule.code, 2);
  t.match(noSchedule.stderr, /say when it runs/);
  t.equal(stub.requests.length, 2, "nothing sent for invalid command lines");
});

t.test("pause, resume and edit send minimal PATCH bodies", async (t) => {
  const stub = await echoServer();
  t.teardown(() => stub.close());
  t.equal((await run(["jobs", "pause", "Job-1", "--url", stub.url])).code, 0);
  t.equal((await run(["jobs", "resume", "Job-1", "--url", stub.url])).code, 0);
  t.equal((await run(["jobs", "edit", "Job-1", "--url", stub.url, "--cron", "0 6 * * 1-5", "--name", "early"])).code, 0);
  t.same(
    stub.requests.map((r) => [r.method, r.url, r.body]),
    [
      ["PATCH", "/MultiFish/v1/JobService/Jobs/Job-1", { Enabled: false }],
      ["PATCH", "/MultiFish/v1/JobService/Jobs/Job-1", { Enabled: true }],
      ["PATCH", "/MultiFish/v1/JobService/Jobs/Job-1", { Schedule: { Type: "Cron", Cron: "0 6 * * 1-5" }, Name: "early" }],
    ],
  );
  const nothing = await run(["jobs", "edit", "Job-1", "--url", stub.url]);
  t.equal(nothing.code, 2);
  t.match(nothing.stderr, /nothing to change/);
});

t.test("machines add reads the BMC password from stdin, sends it, and never prints it", async (t) => {
  const stub = await echoServer();
  t.teardown(() => stub.close());
  const r = await run(
    ["machines", "add", "--url", stub.url, "--id", "server-1", "--endpoint", "https://10.0.0.5", "--bmc-user", "admin", "--password-stdin", "--type", "Extend", "--insecure"],
    { stdin: "hunter2\n" },
  );
  t.equal(r.code, 0, r.stderr);
  t.same(stub.requests[0]?.body, { Id: "server-1", Endpoint: "https://10.0.0.5", Username: "admin", Type: "Extend", Insecure: true, Password: "hunter2" });
  t.equal(stub.requests[0]?.headers.authorization, undefined, "--bmc-user is the BMC's user, not the gateway's");
  t.equal(r.stdout, "Registered server-1 (Extend, https://10.0.0.5)\n");
  t.notMatch(r.stdout + r.stderr, /hunter2/);
  const json = await run(["machines", "add", "--url", stub.url, "--id", "s2", "--endpoint", "http://x", "--bmc-user", "u", "--password-stdin", "--json"], { stdin: "pw" });
  t.equal(JSON.parse(json.stdout).Password, null);
  const badType = await run(["machines", "add", "--url", stub.url, "--id", "s3", "--endpoint", "http://x", "--bmc-user", "u", "--type", "Fancy"]);
  t.equal(badType.code, 2);
  const emptyPassword = await run(["machines", "add", "--url", stub.url, "--id", "s4", "--endpoint", "http://x", "--bmc-user", "u", "--password-stdin"], { stdin: "" });
  t.equal(emptyPassword.code, 2);
  t.match(emptyPassword.stderr, /--password-stdin: stdin was empty/);
});

t.test("machines remove --force asks the gateway to force it", async (t) => {
  const stub = await echoServer();
  t.teardown(() => stub.close());
  const r = await run(["machines", "remove", "server-1", "--force", "--url", stub.url]);
  t.equal(r.code, 0);
  t.equal(stub.requests[0]?.url, "/MultiFish/v1/Platform/server-1?force=true");
  t.equal(r.stdout, "Removed machine server-1\n");
});

t.test("ids from the command line are escaped into the path", async (t) => {
  const stub = await echoServer();
  t.teardown(() => stub.close());
  await run(["jobs", "delete", "../../etc", "--url", stub.url]);
  t.equal(stub.requests[0]?.url, "/MultiFish/v1/JobService/Jobs/..%2F..%2Fetc");
});
