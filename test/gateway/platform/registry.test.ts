import { rm } from "node:fs/promises";
import { join } from "node:path";
import t from "tap";
import { isShoalError, type ShoalError } from "../../../src/errors.js";
import { FileStore } from "../../../src/store/file-store.js";
import { MachineRegistry, type MachineInput } from "../../../gateway/platform/registry.js";
import { FakeStore } from "../helpers/fake-store.js";
import { tempDir } from "../../helpers/temp-dir.js";

const input = (id: string, extra: Partial<MachineInput> = {}): MachineInput => ({
  id,
  endpoint: "https://10.0.0.1",
  username: "root",
  password: "pw",
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<ShoalError> {
  try {
    await promise;
  } catch (e) {
    if (isShoalError(e)) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

t.test("a new machine gets MultiFish's defaults: type Extend, 30 s timeout, name = id", async (t) => {
  const registry = new MachineRegistry(new FakeStore(), { now: () => new Date("2026-02-10T22:00:00Z") });
  const m = await registry.create(input("n1"));
  t.match(m, {
    id: "n1",
    name: "n1",
    type: "Extend",
    insecure: false,
    httpClientTimeoutSeconds: 30,
    disableEtagMatch: false,
    createdAt: "2026-02-10T22:00:00.000Z",
    revision: 1,
  });
  t.same(registry.get("n1"), m);
  t.ok(registry.has("n1"));
  t.equal(registry.size, 1);
});

t.test("ids, endpoints, types and timeouts are checked even without the HTTP schema", async (t) => {
  const registry = new MachineRegistry(new FakeStore());
  const bad = await rejection(registry.create(input("../etc", { endpoint: "https://u:p@bmc", httpClientTimeoutSeconds: 0, type: "Other" as "Base" })));
  t.equal(bad.code, "ValidationError");
  t.same(bad.details.map((d) => [d.path, d.kind]), [
    ["/id", "format"],
    ["/type", "notInList"],
    ["/endpoint", "format"],
    ["/httpClientTimeoutSeconds", "outOfRange"],
  ]);
  t.equal(registry.size, 0);
});

t.test("the registry itself refuses a new endpoint, username or auth method without the password, and odd endpoints", async (t) => {
  const registry = new MachineRegistry(new FakeStore());
  await registry.create(input("n1"));
  for (const changes of [{ endpoint: "https://10.9.9.9" }, { username: "u2" }, { auth: "Session" as const }]) {
    const refused = await rejection(registry.update("n1", changes));
    t.same(refused.details.map((d) => [d.path, d.kind]), [["/password", "missing"]], JSON.stringify(changes));
  }
  t.equal(registry.get("n1")?.endpoint, "https://10.0.0.1");
  t.equal((await registry.update("n1", { endpoint: "https://10.9.9.9", password: "again" })).endpoint, "https://10.9.9.9");
  for (const endpoint of ["http://h:0", "http://h/?q", "http://h/#f"]) {
    t.equal((await rejection(registry.create(input(`e${endpoint.length}`, { endpoint })))).details[0]?.path, "/endpoint", endpoint);
  }
});

t.test("a second machine with the same id is AlreadyExists", async (t) => {
  const registry = new MachineRegistry(new FakeStore());
  await registry.create(input("n1"));
  const dup = await rejection(registry.create(input("n1")));
  t.equal(dup.code, "AlreadyExists");
  const racing = await Promise.allSettled([registry.create(input("n2")), registry.create(input("n2"))]);
  t.same(racing.map((r) => r.status).sort(), ["fulfilled", "rejected"], "two creates racing: exactly one wins");
});

t.test("list is sorted by id and hands out copies", async (t) => {
  const registry = new MachineRegistry(new FakeStore());
  for (const id of ["b", "c", "a"]) await registry.create(input(id));
  const list = registry.list();
  t.same(list.map((m) => m.id), ["a", "b", "c"]);
  list[0]!.password = "changed";
  t.equal(registry.get("a")?.password, "pw");
});

t.test("update changes only the given fields, bumps the revision, and keeps the id", async (t) => {
  let clock = Date.parse("2026-02-10T22:00:00Z");
  const registry = new MachineRegistry(new FakeStore(), { now: () => new Date(clock) });
  await registry.create(input("n1", { name: "node" }));
  clock += 1000;
  const m = await registry.update("n1", { httpClientTimeoutSeconds: 60, password: "new", name: undefined });
  t.match(m, { id: "n1", name: "node", httpClientTimeoutSeconds: 60, password: "new", revision: 2, updatedAt: "2026-02-10T22:00:01.000Z" });
  t.equal((await rejection(registry.update("ghost", {}))).code, "NotFound");
  t.equal((await rejection(registry.update("n1", { endpoint: "ftp://x" }))).code, "ValidationError");
  t.equal(registry.get("n1")?.endpoint, "https://10.0.0.1", "an invalid update changes nothing");
});

t.test("a machine a job targets is not removed without force", async (t) => {
  const targeted = new Set(["n1"]);
  const registry = new MachineRegistry(new FakeStore(), { isTargeted: (id) => targeted.has(id) });
  await registry.create(input("n1"));
  await registry.create(input("n2"));
  t.equal((await rejection(registry.remove("n1"))).code, "Conflict");
  t.ok(registry.has("n1"));
  await registry.remove("n2");
  t.notOk(registry.has("n2"));
  await registry.remove("n1", { force: true });
  t.notOk(registry.has("n1"));
  t.equal((await rejection(registry.remove("n1"))).code, "NotFound");
  registry.setTargetCheck(() => true);
  await registry.create(input("n3"));
  t.equal((await rejection(registry.remove("n3"))).code, "Conflict", "the check can be wired later");
});

t.test("a failed write leaves the registry as it was", async (t) => {
  const store = new FakeStore();
  const registry = new MachineRegistry(store);
  await registry.create(input("n1"));
  store.failWrites = true;
  await t.rejects(registry.create(input("n2")));
  await t.rejects(registry.update("n1", { name: "renamed" }));
  await t.rejects(registry.remove("n1"));
  t.notOk(registry.has("n2"));
  t.equal(registry.get("n1")?.name, "n1");
  t.ok(registry.has("n1"));
});

t.test("machines are kept in the store's file beside the jobs and come back after a restart", async (t) => {
  const dir = tempDir("shoal-registry-");
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "shoal.json");
  const first = new FileStore({ path, fsync: false });
  await first.open();
  const registry = new MachineRegistry(first);
  await registry.create(input("n1", { type: "Base", insecure: true }));
  await registry.create(input("n2"));
  await registry.update("n2", { httpClientTimeoutSeconds: 45 });
  await registry.create(input("n3"));
  await registry.remove("n3");
  await first.close();

  const second = new FileStore({ path, fsync: false });
  await second.open();
  t.teardown(() => second.close());
  const again = new MachineRegistry(second);
  t.same(again.list().map((m) => [m.id, m.type, m.insecure, m.httpClientTimeoutSeconds, m.revision]), [
    ["n1", "Base", true, 30, 1],
    ["n2", "Extend", false, 45, 2],
  ]);
  t.equal(again.get("n1")?.password, "pw", "the BMC client needs the password back");
});
