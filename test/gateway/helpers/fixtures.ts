import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** test/fixtures/jobs at the repository root, seen from lib/test/gateway/helpers/. */
export const JOB_FIXTURE_DIR = fileURLToPath(new URL("../../../../test/fixtures/jobs/", import.meta.url));

/** Our own MultiFish-style job bodies, by file name. */
export function jobFixtures(): { name: string; body: Record<string, unknown> }[] {
  return readdirSync(JOB_FIXTURE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => ({ name, body: JSON.parse(readFileSync(`${JOB_FIXTURE_DIR}${name}`, "utf8")) as Record<string, unknown> }));
}

export function jobFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${JOB_FIXTURE_DIR}${name}`, "utf8")) as Record<string, unknown>;
}
