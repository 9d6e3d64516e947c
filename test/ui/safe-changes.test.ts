/**
 * Changing a fleet safely, from the console in a real browser: a job's plan
 * (the per-machine diff table, counts per outcome, pages of a large plan read
 * from the plan the gateway keeps), rollout settings made in the job form, a
 * halted rollout resumed from its run page, each machine's before and after
 * values, and a revert; axe-core finds nothing serious on the new views and
 * no request leaves 127.0.0.1.
 */
import t, { type Test } from "tap";
import type { Page } from "playwright-core";
import { openBrowser, seriousViolations, skipReason, untilText, type ConsoleBrowser } from "./helpers/browser.js";
import { startConsoleFleet, type ConsoleFleet } from "./helpers/console-fleet.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";
const PROFILE = "Oem/OpenBmc/Fan/Profile";
/** Machine ids beyond the four BMCs, each another name for sim-1, sim-2 or sim-3: a plan larger than one page. */
const EXTRA = Array.from({ length: 52 }, (_, i) => ({ id: `extra-${i + 5}`, sim: i % 3 }));

const reason = skipReason();
if (reason) {
  t.plan(0, reason);
} else {
  t.setTimeout(300_000);
  let b: ConsoleBrowser;
  let f: ConsoleFleet;

  t.before(async () => {
    [b, f] = await Promise.all([openBrowser(), startConsoleFleet({ count: 4, latencyMs: 20 })]);
    await f.registerAll();
    for (const e of EXTRA) {
      const m = f.fleet.machines()[e.sim]!;
      const r = await f.api("POST", "/MultiFish/v1/Platform", { Id: e.id, Type: m.type, Endpoint: m.endpoint, Username: m.username, Password: m.password, HTTPClientTimeout: 5 });
      if (r.status !== 201) throw new Error(`register ${e.id}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    }
  });
  t.teardown(async () => {
    await b?.close();
    await f?.close();
  });

  const axeClean = async (t: Test, page: Page, where: string): Promise<void> => {
    t.same(await seriousViolations(page), [], `axe-core finds no serious or critical violation on ${where}`);
  };
  const profileOf = async (machine: string): Promise<unknown> =>
    (await f.api("GET", `/MultiFish/v1/Platform/${machine}/Managers/bmc/Oem/OpenBmc/Fan/Profile`)).json.Profile;

  t.test("Plan on a job's page: the diff per machine, counts per outcome, and a large plan in pages", async (t) => {
    // sim-2 already has the profile (NoChange); sim-4 resets every connection (Unreachable).
    const set = await f.api("PATCH", `/MultiFish/v1/Platform/sim-2/Managers/bmc/Oem/OpenBmc/Fan/Profile`, { Profile: "PowerSaver" });
    t.ok(set.status < 300, "sim-2 set to PowerSaver beforehand");
    await f.fleet.bmcs[3]!.setFault({ kind: "reset" });
    t.teardown(() => f.fleet.bmcs[3]!.setFault(null));
    const created = await f.api("POST", JOBS, {
      Name: "Fleet PowerSaver",
      Action: "PatchProfile",
      Machines: ["sim-1", "sim-2", "sim-3", "sim-4", ...EXTRA.map((e) => e.id)],
      Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
      Schedule: { Type: "Manual" },
    });
    t.equal(created.status, 201);
    const jobId = created.json.Id as string;

    const { page } = b;
    await page.goto(`${f.url}/#/jobs/${jobId}`);
    await page.getByRole("heading", { level: 1, name: "Fleet PowerSaver" }).waitFor();
    const planned = page.waitForRequest((r) => r.method() === "POST" && r.url().includes(`/Jobs/${jobId}/Actions/Plan`));
    await page.getByRole("button", { name: "Plan", exact: true }).click();
    await planned;
    const table = page.locator("table.plan-table");
    await table.waitFor();

    const noChange = 1 + EXTRA.filter((e) => e.sim === 1).length;
    const counts = page.getByRole("list", { name: "Machines per outcome" });
    t.match(await counts.locator("[data-outcome=Change]").textContent(), new RegExp(`Change\\s*${EXTRA.length + 3 - noChange}$`), "machines to change");
    t.match(await counts.locator("[data-outcome=NoChange]").textContent(), new RegExp(`No change\\s*${noChange}$`), "machines already as desired");
    t.match(await counts.locator("[data-outcome=Unreachable]").textContent(), /Unreachable\s*1$/, "the machine that cannot be read");
    t.match(await counts.locator("[data-outcome=Refused]").textContent(), /Refused\s*0$/);

    const row = (machine: string) => table.locator("tbody tr", { has: page.getByRole("rowheader", { name: machine, exact: true }) });
    t.match(await row("sim-1").textContent(), new RegExp(`sim-1\\s*Change\\s*${PROFILE}\\s*Performance\\s*→\\s*to\\s*PowerSaver`), "the property, its current and desired value");
    t.match(await row("sim-2").textContent(), /sim-2\s*No change/, "a machine already as desired");
    t.match(await row("sim-4").textContent(), /sim-4\s*Unreachable.*\S/, "an unreachable machine with the gateway's message");
    t.equal(await table.getByRole("rowheader").count(), 50, "the first page holds 50 machines");
    t.match(await page.getByRole("navigation", { name: "Plan pages" }).textContent(), /Machines 1–50 of 56/);
    await b.shot("plan");
    await axeClean(t, page, "the job page with its plan");

    const next = page.waitForRequest((r) => r.method() === "GET" && /\/Plans\/[^/?]+\?\$skip=50/.test(r.url()));
    await page.getByRole("button", { name: "Next" }).click();
    await next;
    await untilText(page.getByRole("navigation", { name: "Plan pages" }), /Machines 51–56 of 56/);
    t.pass("the next page is read from the plan the gateway keeps, not planned again");
    t.equal(await table.getByRole("rowheader").count(), 6, "the last page holds the other 6");
    t.equal(await profileOf("sim-1"), "Performance", "planning changed nothing");
  });

  let rolloutJob = "";
  let haltedRun = "";

  t.test("rollout settings made in the job form are stored; a halted rollout is resumed from its run page", async (t) => {
    // sim-3 refuses PATCHes: with a canary, waves of one and no failure budget, the run halts after it.
    await f.fleet.bmcs[2]!.setFault({ kind: "status", status: 500, methods: ["PATCH"] });
    const { page } = b;
    await page.goto(`${f.url}/#/jobs/new`);
    await page.getByLabel("Name").fill("Balanced in waves");
    await page.getByRole("radio", { name: "Only by hand" }).check();
    await page.getByRole("textbox", { name: "Profile" }).fill("Balanced");
    await page.getByLabel("Filter machines").fill("sim-");
    await page.getByRole("button", { name: "Select shown" }).click();
    await page.getByRole("checkbox", { name: /Roll out in waves/ }).check();
    await page.getByLabel("Canary machines (first wave)").fill("1");
    await page.getByLabel("Later waves by").selectOption("size");
    await page.getByLabel("Machines per wave").fill("1");
    await page.getByLabel("Failure budget (% of machines done)").fill("0");
    await page.getByLabel("Pause between waves (seconds)").fill("0");
    await page.getByLabel("When it halts").selectOption("Stop");
    await axeClean(t, page, "the job form with rollout settings");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.getByRole("heading", { level: 1, name: "Balanced in waves" }).waitFor();
    t.match(await page.locator("dl.facts").textContent(), /1 canary machine first, then waves of 1 machines; halt when more than 0% fail/, "the job's page says how it rolls out");

    const jobs = (await f.api("GET", `${JOBS}?$expand=.`)).json.Members as Record<string, unknown>[];
    const job = jobs.find((j) => j.Name === "Balanced in waves")!;
    rolloutJob = job.Id as string;
    t.match(job, { Machines: ["sim-1", "sim-2", "sim-3", "sim-4"], Rollout: { Canary: 1, BatchSize: 1, MaxFailurePercent: 0, PauseSeconds: 0, OnHalt: "Stop" } }, "the stored Rollout");

    await page.getByRole("button", { name: "Run now" }).click();
    await untilText(page.getByTestId("run-state"), /^Halted$/);
    haltedRun = page.url().split("/").pop() ?? "";
    t.match(await page.getByTestId("rollout").textContent(), /halted in wave 2 of 3 · FailureBudgetExceeded/, "where the rollout halted and why");
    t.match(await page.locator(".summary").textContent(), /3 of 4 machines done: 2 succeeded, 1 failed, 1 not reached/, "the machine the halt kept it from is not counted as done");
    t.match(await page.locator("tr[data-machine=sim-4]").textContent(), /Skipped.*RolloutHalted/, "the machine it never reached");
    t.equal(await page.getByRole("button", { name: "Cancel run" }).count(), 0, "a halted run is not offered a cancel");
    await b.shot("run-halted");
    await axeClean(t, page, "a halted run");

    await f.fleet.bmcs[2]!.setFault(null);
    await page.getByRole("button", { name: "Resume rollout" }).click();
    const resumed = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith(`/Executions/${haltedRun}/Actions/Resume`));
    await page.getByRole("button", { name: "Yes, resume" }).click();
    await resumed;
    await untilText(page.getByTestId("run-state"), /^Completed$/);
    t.match(await page.locator("tr[data-machine=sim-4]").textContent(), /Success/, "the skipped machine ran once resumed");
    t.equal(await profileOf("sim-4"), "Balanced");
  });

  t.test("a run shows each machine's before and after values, and Revert sets them back", async (t) => {
    const { page } = b;
    t.match(await page.locator("tr[data-machine=sim-1] .change-cell").textContent(), new RegExp(`${PROFILE}\\s*Performance\\s*→\\s*to\\s*Balanced`), "sim-1: before and after");
    t.match(await page.locator("tr[data-machine=sim-2] .change-cell").textContent(), /PowerSaver\s*→\s*to\s*Balanced/, "sim-2 had PowerSaver before");
    t.equal(await page.locator("tr[data-machine=sim-3] .change-cell li").count(), 0, "the machine that failed changed nothing");

    await page.getByRole("button", { name: "Revert" }).click();
    t.match(await page.getByRole("group", { name: /Set the 3 machines this run changed back/ }).textContent(), /3 machines/, "the confirmation says how many machines");
    await page.getByRole("button", { name: "Yes, revert" }).click();
    await page.waitForURL((u) => !u.hash.endsWith(haltedRun));
    await untilText(page.getByTestId("run-state"), /^Completed$/);
    t.match(await page.locator(".subtitle").textContent(), new RegExp(`reverts ${haltedRun}`), "the new run links the run it reverts");
    t.match(await page.locator("tr[data-machine=sim-1] .change-cell").textContent(), /Balanced\s*→\s*to\s*Performance/, "the revert's own before and after");
    t.same([await profileOf("sim-1"), await profileOf("sim-2"), await profileOf("sim-4")], ["Performance", "PowerSaver", "Performance"], "each machine is back to its value before the run");
    await axeClean(t, page, "a revert run");
  });

  t.test("editing a job opens on its rollout settings, and turning them off asks the gateway to remove them", async (t) => {
    const { page } = b;
    await page.goto(`${f.url}/#/jobs/${rolloutJob}/edit`);
    await page.getByRole("button", { name: "Save changes" }).waitFor();
    t.equal(await page.getByLabel("Machines per wave").inputValue(), "1", "the stored batch size");
    await page.getByRole("checkbox", { name: /Roll out in waves/ }).uncheck();
    const patch = page.waitForRequest((r) => r.method() === "PATCH" && r.url().endsWith(`/Jobs/${rolloutJob}`));
    const patched = page.waitForResponse((r) => r.request().method() === "PATCH" && r.url().endsWith(`/Jobs/${rolloutJob}`));
    await page.getByRole("button", { name: "Save changes" }).click();
    t.match(JSON.parse((await patch).postData() ?? "{}"), { Rollout: null }, "the PATCH carries Rollout: null, the API's way to remove it");
    await page.getByRole("heading", { level: 1, name: "Balanced in waves" }).waitFor();
    t.equal((await patched).status(), 200);
    t.equal((await f.api("GET", `${JOBS}/${rolloutJob}`)).json.Rollout, null, "the stored job has no rollout any more");
  });

  t.test("every request stayed on 127.0.0.1 and the page raised no error", async (t) => {
    t.same(b.offHost, [], "no request left 127.0.0.1");
    t.same(b.problems, [], "no page error, no CSP refusal");
  });
}
