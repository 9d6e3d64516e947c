/**
 * The console in a real browser (Debian's Chromium, headless) against the
 * gateway and simulated BMCs: a job made with the schedule builder and its
 * live preview, a run watched to its end, a failed machine's BMC message, a
 * machine registered and removed, log-in; no request leaves 127.0.0.1 and
 * axe-core finds nothing serious on any page.
 */
import t, { type Test } from "tap";
import type { Page, Request } from "playwright-core";
import { openBrowser, seriousViolations, skipReason, untilText, type ConsoleBrowser } from "./helpers/browser.js";
import { startConsoleFleet, type ConsoleFleet } from "./helpers/console-fleet.js";
import { until } from "../helpers/until.js";

const reason = skipReason();
if (reason) {
  t.plan(0, reason);
} else {
  // A real browser on a shared, busy machine: the outcome must not hang on its speed (about a minute when idle).
  t.setTimeout(300_000);
  let b: ConsoleBrowser;
  let f: ConsoleFleet;

  t.before(async () => {
    [b, f] = await Promise.all([openBrowser(), startConsoleFleet({ count: 4, latencyMs: 30 })]);
    await f.registerAll();
    // sim-4 answers every PATCH with HTTP 500, as a BMC in trouble does.
    await f.fleet.bmcs[3]?.setFault({ kind: "status", status: 500, methods: ["PATCH"] });
  });
  t.teardown(async () => {
    await b?.close();
    await f?.close();
  });

  const axeClean = async (t: Test, page: Page, where: string): Promise<void> => {
    const violations = await seriousViolations(page);
    t.same(violations, [], `axe-core finds no serious or critical violation on ${where}`);
  };

  t.test("a job made with the schedule builder: the preview follows the choices, then the job is created", async (t) => {
    const { page } = b;
    await page.goto(`${f.url}/`);
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("link", { name: "New job" }).click();
    await page.getByLabel("Name").fill("Month ends to PowerSaver");

    await page.getByRole("radio", { name: "On days of the month" }).check();
    await page.getByRole("checkbox", { name: "Day 1", exact: true }).check();
    await page.getByRole("checkbox", { name: "Last day of the month" }).check();
    await page.getByLabel("Time", { exact: true }).fill("08:30");
    await page.getByLabel("Time zone").fill("Asia/Taipei");
    const sentence = page.getByTestId("schedule-sentence");
    const said = await untilText(sentence, /last day.*Asia\/Taipei/);
    t.match(said, /08:30 on days? 1 and the last day of each month.*Asia\/Taipei/, "the gateway's sentence for the choices");
    t.equal(await page.locator(".next-runs li").count(), 5, "five next runs");
    t.match(await page.locator(".next-runs li").first().textContent(), /08:30 GMT\+8/, "shown in the schedule's own zone");

    await page.getByLabel("Time zone").fill("Mars/Base");
    t.match(await untilText(page.locator(".preview [role=alert]"), /Mars\/Base/), /Mars\/Base/, "a zone the gateway does not know is reported as it words it");
    await page.getByLabel("Time zone").fill("Asia/Taipei");
    await untilText(sentence, /Asia\/Taipei/);

    await page.getByLabel("Action").selectOption("PatchFanZone");
    await page.getByRole("textbox", { name: "FanZoneID" }).waitFor();
    t.equal(await page.getByRole("spinbutton", { name: /FailSafePercent/ }).count(), 1, "the payload form follows the action's schema");
    await page.getByLabel("Action").selectOption("PatchProfile");
    await page.getByRole("textbox", { name: "Profile" }).fill("PowerSaver");
    await page.getByRole("button", { name: "Select all" }).click();
    await b.shot("job-form");
    await axeClean(t, page, "the job form");
    await page.getByRole("button", { name: "Create job" }).click();
    await page.getByRole("heading", { level: 1, name: "Month ends to PowerSaver" }).waitFor();

    const jobs = await f.api("GET", "/MultiFish/v1/JobService/Jobs?$expand=.");
    const job = (jobs.json.Members as Record<string, unknown>[])[0];
    t.match(job, {
      Name: "Month ends to PowerSaver",
      Action: "PatchProfile",
      Machines: ["sim-1", "sim-2", "sim-3", "sim-4"],
      Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
      Schedule: { Type: "Continuous", Time: "08:30", TimeZone: "Asia/Taipei", Period: { DaysOfMonth: ["1", "L"] } },
    }, "the job the gateway stored is the one built");
  });

  t.test("triggered from its page, the run is followed live to its end, failures first with the BMC's message", async (t) => {
    const { page } = b;
    await page.getByRole("button", { name: "Run now" }).click();
    await untilText(page.getByTestId("run-state"), /^Completed$/);
    t.match(await page.locator(".summary").textContent(), /4 of 4 machines done: 3 succeeded, 1 failed/);
    t.match(await page.locator("tbody tr").first().textContent(), /sim-4.*Error/, "the failed machine is listed first");
    t.match(await page.locator("tbody").textContent(), /_sim-1_PatchProfile_\d{8}_\d{6}_success\.json/, "each machine's result file is named");

    const failure = page.locator("details.failure", { hasText: "sim-4" });
    await failure.locator("summary").click();
    const message = failure.locator(".bmc-message");
    await message.waitFor({ state: "visible" });
    t.match(await message.textContent(), /PATCH \/redfish\/v1\/Managers\/bmc returned HTTP 500/, "the BMC's own message, opened from the failure");
    await b.shot("run");
    await axeClean(t, page, "the run page");

    await page.getByRole("link", { name: "job and history" }).click();
    await page.getByRole("heading", { level: 2, name: "History" }).waitFor();
    await page.locator(".chart svg rect").first().waitFor();
    await axeClean(t, page, "the job page");
  });

  t.test("editing opens the builder on the job's own schedule; pause and resume from the jobs table", async (t) => {
    const { page } = b;
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByRole("button", { name: "Save changes" }).waitFor();
    t.ok(await page.getByRole("radio", { name: "On days of the month" }).isChecked(), "the schedule's kind");
    t.ok(await page.getByRole("checkbox", { name: "Last day of the month" }).isChecked(), "its days");
    t.equal(await page.getByLabel("Time zone").inputValue(), "Asia/Taipei", "its zone");
    await page.getByLabel("Time", { exact: true }).fill("09:15");
    await untilText(page.getByTestId("schedule-sentence"), /09:15/);
    await page.getByRole("button", { name: "Save changes" }).click();
    await untilText(page.locator("dl.facts dd").first(), /09:15/);
    const job = (await f.api("GET", "/MultiFish/v1/JobService/Jobs?$expand=.")).json.Members as Record<string, unknown>[];
    t.match(job[0], { Schedule: { Time: "09:15", TimeZone: "Asia/Taipei", Period: { DaysOfMonth: ["1", "L"] } } }, "only the time changed");

    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    const toggle = page.getByRole("switch", { name: /Month ends to PowerSaver/ });
    // The switch shows the choice at once, before the PATCH has landed: the job itself is awaited, not read once.
    const enabledIs = (value: boolean) => async () => (await f.api("GET", `/MultiFish/v1/JobService/Jobs/${String(job[0]?.Id)}`)).json.Enabled === value;
    await toggle.uncheck();
    await untilText(page.locator("label.switch").first(), /Paused/);
    t.ok(await until(enabledIs(false), { what: "the job to be paused" }), "paused");
    await toggle.check();
    await untilText(page.locator("label.switch").first(), /Enabled/);
    t.ok(await until(enabledIs(true), { what: "the job to be resumed" }), "resumed");
    await axeClean(t, page, "the jobs page");
  });

  t.test("the keyboard reaches the skip link first, and it moves focus to the page", async (t) => {
    const { page } = b;
    await page.goto(`${f.url}/#/jobs`);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Jobs" }).waitFor();
    await page.keyboard.press("Tab");
    t.equal(await page.evaluate("document.activeElement && document.activeElement.textContent"), "Skip to content");
    await page.keyboard.press("Enter");
    t.equal(await page.evaluate("document.activeElement && document.activeElement.id"), "main");
  });

  t.test("the fleet page shows the run and a map cell per machine, the failed one as failed", async (t) => {
    const { page } = b;
    await page.getByRole("link", { name: "Fleet", exact: true }).click();
    await page.locator(".fleet-map .cell").first().waitFor();
    t.equal(await page.locator(".fleet-map .cell").count(), 4);
    t.equal(await page.locator(".fleet-map .cell-failed").textContent(), "sim-4");
    t.equal(await page.locator(".fleet-map .cell-ok").count(), 3);
    t.equal(await page.locator(".fleet-map a[href='#/machines/sim-4']").count(), 1, "each cell is a link to its machine");
    await b.shot("fleet");
    await axeClean(t, page, "the fleet page");
  });

  t.test("a run in progress is cancelled from its page; the job is deleted from its own", async (t) => {
    const { page } = b;
    // sim-2 takes its time over its reads and PATCHes (a run reads before it writes), so the run is still going when Cancel is pressed.
    f.fleet.bmcs[1]?.setLatency(15_000, ["GET", "PATCH"]);
    t.teardown(() => f.fleet.bmcs[1]?.setLatency(30));
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("button", { name: /Run now Month ends/ }).click();
    await untilText(page.getByTestId("run-state"), /^Running$/);
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page.getByRole("button", { name: "Yes, cancel it" }).click();
    await untilText(page.getByTestId("run-state"), /^Cancelled$/);
    t.pass("the run ended Cancelled");

    await page.getByRole("link", { name: "job and history" }).click();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await page.getByRole("heading", { level: 1, name: "Jobs" }).waitFor();
    t.equal((await f.api("GET", "/MultiFish/v1/JobService/Jobs")).json["Members@odata.count"], 0, "the job is gone");
  });

  t.test("a machine is registered from the form, shown with its BMC view, and removed", async (t) => {
    const { page } = b;
    await page.getByRole("link", { name: "Machines", exact: true }).click();
    await page.getByRole("button", { name: "Register a machine" }).click();
    const sim = f.fleet.bmcs[0];
    if (!sim) throw new Error("no simulated BMC");
    const form = page.getByRole("form", { name: "Register a machine" });
    await form.getByLabel("Id").fill("rack9-new");
    await form.getByLabel("Name").fill("Rack 9 spare");
    await form.getByLabel("Endpoint").fill(sim.endpoint);
    await form.getByLabel("BMC user").fill(sim.username);
    await form.getByLabel("BMC password").fill(sim.password);
    await axeClean(t, page, "the machines page with its form");
    await form.getByRole("button", { name: "Register machine" }).click();
    await page.getByRole("heading", { level: 1, name: "Rack 9 spare" }).waitFor();
    await page.getByText("Shoal BMC simulator").waitFor();
    t.pass("the machine's page reads its BMC live");
    const stored = await f.api("GET", "/MultiFish/v1/Platform/rack9-new");
    t.match(stored.json, { Id: "rack9-new", Endpoint: sim.endpoint, Password: null });
    await b.shot("machine");
    await axeClean(t, page, "the machine page");

    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const edit = page.getByRole("form", { name: "Edit machine rack9-new" });
    t.equal(await edit.getByLabel("BMC password").inputValue(), "", "the password is never shown");
    await edit.getByLabel("Name").fill("Rack 9 spare, row C");
    const patch = page.waitForRequest((r) => r.method() === "PATCH" && r.url().endsWith("/MultiFish/v1/Platform/rack9-new"));
    await edit.getByRole("button", { name: "Save machine" }).click();
    t.notMatch((await patch).postData() ?? "", /Password/, "an edit with the password left empty does not send one");
    await page.getByRole("heading", { level: 1, name: "Rack 9 spare, row C" }).waitFor();
    t.equal((await f.api("GET", "/MultiFish/v1/Platform/rack9-new")).json.Name, "Rack 9 spare, row C", "the edit is stored");

    await page.getByRole("button", { name: "Remove", exact: true }).click();
    await page.getByRole("button", { name: "Yes, remove" }).click();
    await page.getByRole("heading", { level: 1, name: "Machines" }).waitFor();
    t.equal((await f.api("GET", "/MultiFish/v1/Platform/rack9-new")).status, 404, "the machine is gone");
    t.notOk(b.requests.some((u) => u.includes(sim.password)), "the BMC password never appears in a URL");
  });

  t.test("every request stayed on 127.0.0.1 and the page raised no error or CSP refusal", async (t) => {
    t.ok(b.requests.length > 20, `${b.requests.length} requests seen`);
    t.same(b.offHost, [], "no request left 127.0.0.1");
    t.same(b.problems, [], "no page error, no CSP refusal");
  });

  t.test("the pause switch keeps the operator's choice while it is on its way: stale reloads of the list do not flip it back", async (t) => {
    const { page } = b;
    const JOBS = "/MultiFish/v1/JobService/Jobs";
    const newJob = async (name: string): Promise<string> => {
      const created = await f.api("POST", JOBS, { Name: name, Action: "PatchProfile", Machines: ["sim-1"], Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }], Schedule: { Type: "Manual" } });
      t.equal(created.status, 201, `${name} created`);
      return created.json.Id as string;
    };
    const jobId = await newJob("Quiet nights");
    await page.goto(`${f.url}/#/jobs`);
    const row = page.getByRole("row", { name: /Quiet nights/ });
    const label = row.locator("label.switch");
    await untilText(label, /Enabled/);

    // The pause is held on its way to the gateway; meanwhile each reload of the list gets the next scripted Enabled.
    let releasePatch!: () => void;
    const patchHeld = new Promise<void>((resolve) => (releasePatch = resolve));
    const script = [false, true];
    let reloads = 0;
    await page.route(`**${JOBS}/${jobId}`, async (route) => {
      if (route.request().method() === "PATCH") await patchHeld;
      await route.continue();
    });
    await page.route(`**${JOBS}?*`, async (route) => {
      const enabled = script.shift();
      if (enabled === undefined) return route.continue();
      const reply = await route.fetch();
      const body = (await reply.json()) as { Members: Record<string, unknown>[] };
      for (const member of body.Members) if (member.Id === jobId) member.Enabled = enabled;
      reloads++;
      await route.fulfill({ response: reply, json: body });
    });
    t.teardown(() => page.unrouteAll({ behavior: "ignoreErrors" }));

    await row.getByRole("switch").uncheck();
    await untilText(label, /Paused/);
    // Another job appears: the page reloads the list (first agreeing with the pause, then a stale Enabled).
    for (let i = 1; i <= 2; i++) {
      await newJob(`Other ${i}`);
      const deadline = Date.now() + 60_000;
      while (reloads < i && Date.now() < deadline) await page.waitForTimeout(50);
      t.equal(reloads, i, `reload ${i} served`);
      // The reload is on screen by the next frame but one.
      await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
      t.match(await label.textContent(), /Paused/, `after reload ${i}, still Paused`);
      t.equal(await row.getByRole("switch").isChecked(), false, `after reload ${i}, unchecked`);
    }

    releasePatch();
    await page.unroute(`**${JOBS}?*`);
    const deadline = Date.now() + 60_000;
    let enabled: unknown = true;
    while (enabled !== false && Date.now() < deadline) {
      enabled = (await f.api("GET", `${JOBS}/${jobId}`)).json.Enabled;
      if (enabled !== false) await page.waitForTimeout(50);
    }
    t.equal(enabled, false, "the gateway has it paused");
    t.match(await untilText(label, /Paused/), /Paused/, "and the switch says so");
  });

  t.test("with auth on, the console asks for a log-in and sends credentials only in a header", async (t) => {
    const secured = await startConsoleFleet({
      count: 1,
      config: { auth: { enabled: true, mode: "basic", basic: { username: "ops", password: "Console-Pa55" }, tokens: [] } },
    });
    t.teardown(() => secured.close());
    const { page } = b;
    const headers: string[] = [];
    const onRequest = (r: Request) => void r.allHeaders().then((h) => h.authorization && headers.push(h.authorization));
    page.on("request", onRequest);
    t.teardown(() => page.off("request", onRequest));

    await page.goto(`${secured.url}/`);
    await page.getByRole("heading", { name: "Log in to Shoal" }).waitFor();
    await axeClean(t, page, "the log-in page");
    await page.getByLabel("User name").fill("ops");
    await page.getByLabel("Password").fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Those credentials were not accepted.").waitFor();
    await page.getByLabel("Password").fill("Console-Pa55");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { level: 1, name: "Fleet" }).waitFor();
    t.pass("logged in, the fleet shows");
    t.ok(headers.includes(`Basic ${Buffer.from("ops:Console-Pa55").toString("base64")}`), "the credentials went in the Authorization header");
    t.notOk(b.requests.some((u) => /Console-Pa55|ops:|authorization|token=/i.test(decodeURIComponent(u))), "and never in a URL");
  });
}
