/**
 * A run's page kept current by the gateway's event stream: while the stream
 * is open the page makes no polling request, each event about the run
 * reloads it once, and the run's end arrives by event; with the stream
 * unavailable the page polls, and goes back to events once the stream is back.
 */
import t from "tap";
import type { Request } from "playwright-core";
import { openBrowser, seriousViolations, skipReason, untilText, type ConsoleBrowser } from "./helpers/browser.js";
import { startConsoleFleet, type ConsoleFleet } from "./helpers/console-fleet.js";
import { listenToEvents, type EventListener } from "./helpers/event-listener.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";
const SUBMIT_TEST_EVENT = "/redfish/v1/EventService/Actions/EventService.SubmitTestEvent";

const reason = skipReason();
if (reason) {
  t.plan(0, reason);
} else {
  t.setTimeout(300_000);
  let b: ConsoleBrowser;
  let f: ConsoleFleet;
  let events: EventListener;
  let jobId = "";
  /** GETs of each execution the page made, by execution path. */
  const runReads = new Map<string, number>();

  t.before(async () => {
    [b, f] = await Promise.all([openBrowser(), startConsoleFleet({ count: 3, latencyMs: 20 })]);
    await f.registerAll();
    // sim-3's PATCHes are held while the test looks at a run in progress: no timeout may end them meanwhile.
    const slow = await f.api("PATCH", "/MultiFish/v1/Platform/sim-3", { HTTPClientTimeout: 300 });
    if (slow.status !== 200) throw new Error(`sim-3 timeout: HTTP ${slow.status} ${slow.text.slice(0, 300)}`);
    const created = await f.api("POST", JOBS, {
      Name: "Balanced everywhere",
      Action: "PatchProfile",
      Machines: ["sim-1", "sim-2", "sim-3"],
      Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
      Schedule: { Type: "Manual" },
    });
    if (created.status !== 201) throw new Error(`create job: HTTP ${created.status} ${created.text.slice(0, 300)}`);
    jobId = created.json.Id as string;
    events = await listenToEvents(f.url);
    b.page.on("request", (r: Request) => {
      const path = new URL(r.url()).pathname;
      if (r.method() === "GET" && /\/Executions\/[^/]+$/.test(path)) runReads.set(path, (runReads.get(path) ?? 0) + 1);
    });
  });
  t.teardown(async () => {
    events?.close();
    await b?.close();
    await f?.close();
  });

  /**
   * A run of the job held mid-way: sim-3's PATCH is held until `release` is called. Resolves once the
   * gateway has announced the other two machines' progress (it sends progress at most once a second),
   * so no event about the run is still to come while it is held.
   */
  const heldRun = async (profile: string): Promise<{ path: string; id: string; release: () => void }> => {
    await f.api("PATCH", `${JOBS}/${jobId}`, { Payload: [{ ManagerID: "bmc", Payload: { Profile: profile } }] });
    const release = f.fleet.bmcs[2]!.holdPatches();
    const run = await f.api("POST", `${JOBS}/${jobId}/Actions/Trigger`, {});
    const id = run.json.Id as string;
    await events.until((e) => e.messageId.endsWith("TaskProgressChanged") && e.oem.ExecutionId === id && e.oem.PercentComplete === 66);
    return { path: `${JOBS}/${jobId}/Executions/${id}`, id, release };
  };
  const reads = (path: string): number => runReads.get(path) ?? 0;

  t.test("while the event stream is open the run page does not poll; events reload it, and its end arrives by event", async (t) => {
    const { page } = b;
    const run = await heldRun("Balanced");
    let released = false;
    t.teardown(() => (released ? undefined : run.release()));
    await page.goto(`${f.url}/#/jobs/${jobId}/runs/${run.id}`);
    await page.locator("[data-testid=live-status][data-stream=open]").waitFor();
    t.match(await page.getByTestId("live-status").textContent(), /Live: event stream/, "the page says it follows the event stream");
    await untilText(page.locator("tr[data-machine=sim-2]"), /Success/);
    await untilText(page.locator("tr[data-machine=sim-3]"), /Running/);
    t.same(await seriousViolations(page), [], "axe-core finds nothing serious on a live run");

    // Each event about the run (here a test event naming it) reloads the page once.
    const before = reads(run.path);
    for (let i = 1; i <= 3; i++) {
      const reload = page.waitForRequest((r) => r.method() === "GET" && new URL(r.url()).pathname === run.path);
      const sent = await f.api("POST", SUBMIT_TEST_EVENT, { Message: `nudge ${i}`, OriginOfCondition: run.path });
      t.equal(sent.status, 204, `test event ${i} sent`);
      await reload;
    }
    t.equal(reads(run.path) - before, 3, "three events about the run, three reloads");

    // An observation window for what must not happen: polling every second would read the run about
    // three times in it. A slower machine only polls less, so this cannot fail for want of speed.
    const quiet = reads(run.path);
    await page.waitForTimeout(3000);
    t.equal(reads(run.path), quiet, "no polling request while the stream is open and nothing happens");

    run.release();
    released = true;
    await untilText(page.getByTestId("run-state"), /^Completed$/);
    t.match(await page.locator("tr[data-machine=sim-3]").textContent(), /Success/, "the held machine's result arrived by event");
  });

  t.test("with the event stream unavailable the page polls, and returns to events once the stream is back", async (t) => {
    const { page } = b;
    const sse = "**/redfish/v1/EventService/SSE*";
    await page.route(sse, (route) => route.fulfill({ status: 503, contentType: "application/json", body: "{}" }));
    const run = await heldRun("Performance");
    let released = false;
    t.teardown(() => (released ? undefined : run.release()));
    await page.goto(`${f.url}/#/jobs/${jobId}/runs/${run.id}`);
    await page.reload();
    await page.locator("[data-testid=live-status][data-stream=down]").waitFor();
    t.match(await page.getByTestId("live-status").textContent(), /polling every 1 s \(event stream unavailable\)/, "the page says it polls");
    const start = reads(run.path);
    const deadline = Date.now() + 60_000;
    while (reads(run.path) < start + 3 && Date.now() < deadline) await page.waitForRequest((r) => new URL(r.url()).pathname === run.path, { timeout: 60_000 });
    t.ok(reads(run.path) >= start + 3, "the run is read again and again with no event to prompt it");

    await page.unroute(sse);
    await page.locator("[data-testid=live-status][data-stream=open]").waitFor();
    t.pass("the stream is opened again");
    run.release();
    released = true;
    await untilText(page.getByTestId("run-state"), /^Completed$/);
  });

  t.test("the stream carried no credentials in its URL and nothing left 127.0.0.1", async (t) => {
    t.ok(b.requests.some((u) => u.endsWith("/redfish/v1/EventService/SSE")), "the page opened the event stream");
    t.same(b.offHost, [], "no request left 127.0.0.1");
    t.same(b.problems, [], "no page error, no CSP refusal");
  });
}
