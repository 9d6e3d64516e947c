import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import t from "tap";
import { startSimulatedBmcs } from "./fleet.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

t.test("starts N BMCs, one port each, with machine records and summed counters", async (t) => {
  const fleet = await startSimulatedBmcs(5, { idPrefix: "node-" });
  t.teardown(() => fleet.close());
  t.equal(fleet.bmcs.length, 5);
  t.same(fleet.bmcs.map((b) => b.id), ["node-1", "node-2", "node-3", "node-4", "node-5"]);
  t.equal(new Set(fleet.bmcs.map((b) => b.endpoint)).size, 5, "distinct endpoints");
  t.equal(fleet.byId("node-3"), fleet.bmcs[2]);
  const machines = fleet.machines({ httpClientTimeoutSeconds: 1 });
  t.same(machines.map((m) => m.httpClientTimeoutSeconds), [1, 1, 1, 1, 1]);

  await fleet.bmcs[0]!.setFault({ kind: "refuse" });
  const auth = "Basic " + Buffer.from(`${fleet.bmcs[1]!.username}:${fleet.bmcs[1]!.password}`).toString("base64");
  const res = await fetch(fleet.bmcs[1]!.endpoint + "/redfish/v1/Managers/bmc", { headers: { authorization: auth } });
  await res.text();
  t.equal(res.status, 200, "one refusing BMC does not affect its neighbours");
  t.equal(fleet.totals().requests, 1);
});

t.test("the CLI prints the endpoints as JSON and stops on SIGTERM", async (t) => {
  const main = fileURLToPath(new URL("./main.js", import.meta.url));
  const child = spawn(NODE, nodeArgs([main, "--count", "3", "--latency-ms", "5"]), { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
  const printed = JSON.parse(line) as { bmcs: Array<{ id: string; endpoint: string; type: string }> };
  t.equal(printed.bmcs.length, 3);
  t.match(printed.bmcs[0], { id: "sim-1", type: "Extend", endpoint: /^http:\/\/127\.0\.0\.1:\d+$/ });
  const root = await fetch(printed.bmcs[2]!.endpoint + "/redfish/v1");
  t.equal(root.status, 200);
  await root.text();
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  t.equal(await exited, 0);
});
