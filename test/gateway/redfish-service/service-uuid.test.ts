import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { loadServiceUuid, SERVICE_UUID_FILE } from "../../../gateway/redfish-service/service-uuid.js";
import { tempDir } from "../../helpers/temp-dir.js";

t.test("the service UUID is made once per data directory and kept there", async (t) => {
  const dir = tempDir();
  const first = await loadServiceUuid(dir);
  t.match(first, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.equal(await loadServiceUuid(dir), first, "the same on the next start");
  t.equal(readFileSync(join(dir, SERVICE_UUID_FILE), "utf8").trim(), first);
  t.not(await loadServiceUuid(tempDir()), first, "another data directory, another UUID");
});

t.test("a file that does not hold a UUID is replaced by a new one", async (t) => {
  const dir = tempDir();
  writeFileSync(join(dir, SERVICE_UUID_FILE), "not a uuid\n");
  t.match(await loadServiceUuid(dir), /^[0-9a-f-]{36}$/);
});
