/**
 * Messages that name what was expected: a time in the wrong format names
 * HH:MM[:SS] (over REST and in the CLI); --url may end in /MultiFish/v1;
 * AUTH_ENABLED=true alone says it means basic auth and what is missing.
 */
import t from "tap";
import { loadConfig } from "../../gateway/config.js";
import { startBench } from "./harness-operator.js";

t.test("a wrong time names HH:MM[:SS], over REST and in the CLI; --url may end in /MultiFish/v1", async (t) => {
  const bench = await startBench(1);
  t.teardown(() => bench.close());
  await bench.registerFleet();
  const rest = await fetch(`${bench.gateway.url}/MultiFish/v1/JobService/Actions/JobService.PreviewSchedule`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ Schedule: { Type: "Continuous", Time: "10pm" } }),
  });
  t.equal(rest.status, 400);
  const body = (await rest.json()) as { error: { "@Message.ExtendedInfo": { Resolution: string; RelatedProperties: string[] }[] } };
  t.match(body.error["@Message.ExtendedInfo"][0], { RelatedProperties: ["#/Schedule/Time"], Resolution: /^Expected: HH:MM\[:SS\], a 24-hour time of day/ });

  const cli = await bench.shoal(["jobs", "create", "-f", "-", "--url", `${bench.gateway.url}/MultiFish/v1`], {
    env: { SHOAL_URL: "" },
    stdin: JSON.stringify({ Name: "x", Action: "PatchProfile", Machines: ["sim-1"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Continuous", Time: "25:00" } }),
  });
  t.equal(cli.code, 2, "the gateway was found under the --url that ends in /MultiFish/v1");
  t.match(cli.stderr, "The value '25:00' for the property Schedule/Time is not in a valid format.");
  t.match(cli.stderr, "Expected: HH:MM[:SS]");
  const listed = await bench.shoal(["machines", "list", "--url", `${bench.gateway.url}/MultiFish/v1/`]);
  t.equal(listed.code, 0, listed.stderr);
  t.match(listed.stdout, "sim-1");
});

t.test("AUTH_ENABLED=true alone says it means basic auth and names what is missing", async (t) => {
  t.throws(() => loadConfig({ AUTH_ENABLED: "true" }), /BASIC_AUTH_USERNAME.*AUTH_ENABLED=true alone means basic auth \(AUTH_MODE=basic\).*AUTH_MODE=token/);
  t.throws(() => loadConfig({ AUTH_ENABLED: "true", AUTH_MODE: "basic", BASIC_AUTH_USERNAME: "ops" }), /BASIC_AUTH_PASSWORD.*required when AUTH_MODE is basic/);
});

t.test("a payload of the wrong shape shows the shape its action expects", async (t) => {
  const bench = await startBench(1);
  t.teardown(() => bench.close());
  await bench.registerFleet();
  const r = await bench.shoal(["jobs", "create", "--name", "p", "--action", "PatchProfile", "--machines", "sim-1", "--manual", "--payload-file", "-"], {
    stdin: JSON.stringify({ Profile: "PowerSaver" }),
  });
  t.equal(r.code, 2);
  t.match(r.stderr, 'Expected: a PatchProfile payload such as [{"ManagerID":"bmc","Payload":{"Profile":"PowerSaver"}}] (one entry per manager).');
  t.equal(r.stderr.split("Expected:").length - 1, 1, "shown once, not per problem");
});
