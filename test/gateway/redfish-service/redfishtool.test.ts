/**
 * DMTF's redfishtool (Debian package `redfishtool`; .ci/run installs it) used
 * as operators use it, through the gateway: list the aggregated Managers and
 * Systems, and PATCH a fan profile, with session auth.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import t from "tap";
import { startFleetGateway } from "../helpers/fleet-gateway.js";
import { PASSWORDS, ROLE_AUTH } from "./identity-fixtures.js";

const REDFISHTOOL = "/usr/bin/redfishtool";
const run = promisify(execFile);

/** Why these tests cannot run here; on CI a missing redfishtool is a failure, not a skip. */
function skipReason(): string | false {
  if (existsSync(REDFISHTOOL) || process.env.CI) return false;
  return `${REDFISHTOOL} is absent: install it (apt-get install -y redfishtool) to run the redfishtool tests`;
}

t.test("redfishtool through the gateway, with session auth", { skip: skipReason() }, async (t) => {
  // Auth off (everyone an Administrator) so the fleet registers without credentials; the accounts still log in, and a session carries its account's role.
  const f = await startFleetGateway(2, { config: { auth: { ...ROLE_AUTH, enabled: false, mode: "none" } } });
  t.teardown(() => f.close());
  await f.registerAll();
  const host = new URL(f.g.url).host;
  const tool = async (user: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const base = ["-r", host, "-S", "Never", "-A", "Session", "-u", user, "-p", PASSWORDS[user] ?? "", "-T", "60"];
    try {
      const { stdout, stderr } = await run(REDFISHTOOL, [...base, ...args], { timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };

  t.test("lists the aggregated Managers and Systems", async (t) => {
    const managers = await tool("viewer", "Managers", "list");
    t.equal(managers.code, 0, managers.stderr);
    const listed = JSON.parse(managers.stdout) as { Members: { "@odata.id": string }[] };
    t.same(listed.Members.map((m) => m["@odata.id"]).sort(), ["/redfish/v1/Managers/sim-1_bmc", "/redfish/v1/Managers/sim-2_bmc"]);
    const systems = await tool("viewer", "Systems", "list");
    t.equal(systems.code, 0, systems.stderr);
    t.match(systems.stdout, /"\/redfish\/v1\/Systems\/sim-1_system"/);
  });

  t.test("an Operator PATCHes a fan profile; the BMC changes", async (t) => {
    const patched = await tool("ops", "Managers", "-I", "sim-2_bmc", "patch", '{"Oem":{"OpenBmc":{"Fan":{"Profile":"PowerSaver"}}}}');
    t.equal(patched.code, 0, patched.stderr);
    t.match(patched.stdout, /Base\.1\.22\.Success/);
    t.equal(f.fleet.byId("sim-2")!.state.managers.bmc!.fan?.profile, "PowerSaver");
  });

  t.test("a ReadOnly session's PATCH is refused and changes nothing", async (t) => {
    const refused = await tool("viewer", "Managers", "-I", "sim-1_bmc", "patch", '{"Oem":{"OpenBmc":{"Fan":{"Profile":"PowerSaver"}}}}');
    t.match(refused.stdout + refused.stderr, /403/);
    t.equal(f.fleet.byId("sim-1")!.state.managers.bmc!.fan?.profile, "Performance");
  });
});
