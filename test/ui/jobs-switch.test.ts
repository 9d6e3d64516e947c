/**
 * The jobs table's pause switch keeps showing the operator's choice while the
 * change is on its way: a reload of the job list read before the change
 * landed does not flip it back, even after another such reload agreed with it.
 */
import t from "tap";
import type { Route } from "playwright-core";
import { openBrowser, skipReason, untilText, type ConsoleBrowser } from "./helpers/browser.js";
import { startConsoleFleet, type ConsoleFleet } from "./helpers/console-fleet.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";

const reason = skipReason();
if (reason) {
  t.plan(0, reason);
} else {
  t.setTimeout(300_000);
  let b: ConsoleBrowser;
  let f: ConsoleFleet;
  let jobId = "";

  t.before(async () => {
    [b, f] = await Promise.all([openBrowser(), startConsoleFleet({ count: 1, latencyMs: 5 })]);
    await f.registerAll();
    const created = await f.api("POST", JOBS, {
      Name: "Quiet nights",
      Action: "PatchProfile",
      Machines: ["sim-1"],
      Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
      Schedule: { Type: "Manual" },
    });
    if (created.status !== 201) throw new Error(`create job: HTTP ${created.status} ${created.text.slice(0, 300)}`);
    jobId = created.json.Id as string;
  });
  t.teardown(async () => {
    await b?.close();
    await f?.close();
  });

  t.test("pausing: two stale reloads while the change is held, the switch stays on Paused", async (t) => {
    const { page } = b;
    await page.goto(`${f.url}/#/jobs`);
    const label = page.locator("label.switch").first();
    await untilText(label, /Enabled/);

    // The pause is held on its way to the gateway; meanwhile each reload of the list gets the next scripted Enabled.
    let releasePatch!: () => void;
    const patchHeld = new Promise<void>((resolve) => (releasePatch = resolve));
    const script = [false, true];
    let reloads = 0;
    await page.route(`**${JOBS}/${jobId}`, async (route: Route) => {
      if (route.request().method() === "PATCH") await patchHeld;
      await route.continue();
    });
    await page.route(`**${JOBS}?*`, async (route: Route) => {
      const enabled = script.shift();
      if (enabled === undefined) return route.continue();
      const reply = await route.fetch();
      const body = (await reply.json()) as { Members: Record<string, unknown>[] };
      for (const member of body.Members) if (member.Id === jobId) member.Enabled = enabled;
      reloads++;
      await route.fulfill({ response: reply, json: body });
    });

    await page.getByRole("switch", { name: /Quiet nights/ }).uncheck();
    await untilText(label, /Paused/);
    // Another job appears: the page reloads the list (first agreeing with the pause, then a stale Enabled).
    for (let i = 1; i <= 2; i++) {
      const other = await f.api("POST", JOBS, { Name: `other ${i}`, Action: "PatchProfile", Machines: ["sim-1"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } });
      t.equal(other.status, 201);
      const deadline = Date.now() + 60_000;
      while (reloads < i && Date.now() < deadline) await page.waitForTimeout(50);
      t.equal(reloads, i, `reload ${i} served`);
      // The reload's rendering is done by the next frame.
      await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
      t.match(await label.textContent(), /Paused/, `after reload ${i}, still Paused`);
      t.equal(await page.getByRole("switch", { name: /Quiet nights/ }).isChecked(), false, `after reload ${i}, unchecked`);
    }

    releasePatch();
    await page.unroute(`**${JOBS}?*`);
    await untilText(label, /Paused/);
    const deadline = Date.now() + 60_000;
    let enabled: unknown = true;
    while (enabled !== false && Date.now() < deadline) {
      enabled = (await f.api("GET", `${JOBS}/${jobId}`)).json.Enabled;
      if (enabled !== false) await page.waitForTimeout(50);
    }
    t.equal(enabled, false, "the gateway has it paused");
    t.match(await label.textContent(), /Paused/, "and the switch says so");
  });
}
