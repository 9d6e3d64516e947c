import t from "tap";
import { RedfishClient } from "../../../gateway/bmc/client.js";
import { etagOf, SimulatedBmc } from "../../sim/simulated-bmc.js";
import { call, messageIds, redfishError, startGateway } from "../helpers/http.js";
import { PLATFORM, patchesSeen, startLiveFleet } from "../helpers/live-fleet.js";
import { until } from "../../helpers/until.js";

t.test("live views of a machine's BMC", async (t) => {
  const live = await startLiveFleet(6);
  t.teardown(() => live.close());

  t.test("Systems and Managers are the BMC's collections, with links to what the gateway serves re-rooted", async (t) => {
    const systems = await live.get(`${PLATFORM}/sim-1/Systems`);
    t.equal(systems.status, 200);
    t.match(systems.json, {
      "@odata.id": `${PLATFORM}/sim-1/Systems`,
      "@odata.type": "#ComputerSystemCollection.ComputerSystemCollection",
      Name: "Computer System Collection",
      "Members@odata.count": 1,
    });
    t.same(systems.json.Members, [{ "@odata.id": "/redfish/v1/Systems/system" }], "a link the gateway does not serve stays the BMC's");

    const managers = await live.get(`${PLATFORM}/sim-1/Managers`);
    t.equal(managers.status, 200);
    t.equal(managers.json["@odata.id"], `${PLATFORM}/sim-1/Managers`);
    t.same(managers.json.Members, [{ "@odata.id": `${PLATFORM}/sim-1/Managers/bmc` }]);
  });

  t.test("a manager is the BMC's document re-rooted, with the BMC's ETag", async (t) => {
    const bmc = live.bmc("sim-1");
    const reply = await live.get(`${PLATFORM}/sim-1/Managers/bmc`);
    t.equal(reply.status, 200);
    t.equal(reply.headers.etag, etagOf(bmc.managerDocument("bmc")), "the BMC's own ETag");
    t.match(reply.json, {
      "@odata.id": `${PLATFORM}/sim-1/Managers/bmc`,
      "@odata.type": "#Manager.v1_15_0.Manager",
      Id: "bmc",
      Model: "Shoal BMC simulator",
      FirmwareVersion: "sim-1.0",
      Status: { State: "Enabled", Health: "OK" },
    });
    const oem = reply.json.Oem as { "@odata.id": string; OpenBmc: { Fan: Record<string, Record<string, unknown>> } };
    t.equal(oem["@odata.id"], `${PLATFORM}/sim-1/Managers/bmc#/Oem`, "a fragment of the manager stays a fragment, of our copy");
    const fan = oem.OpenBmc.Fan;
    t.equal(fan.FanControllers!["@odata.id"], `${PLATFORM}/sim-1/Managers/bmc/Oem/OpenBmc/Fan/FanControllers`);
    const fanCpu = fan.FanControllers!.fan_cpu as Record<string, unknown>;
    t.equal(fanCpu["@odata.id"], `${PLATFORM}/sim-1/Managers/bmc/Oem/OpenBmc/Fan/FanControllers/fan_cpu`);
    t.same(fanCpu.Zones, [{ "@odata.id": `${PLATFORM}/sim-1/Managers/bmc/Oem/OpenBmc/Fan/FanZones/zone_cpu` }]);
    t.equal(fan.Profile, "Performance", "other properties as the BMC returned them");
  });

  t.test("PATCH of a manager changes the BMC, guarded by If-Match from the ETag the operator read", async (t) => {
    const bmc = live.bmc("sim-2");
    const read = await live.get(`${PLATFORM}/sim-2/Managers/bmc`);
    const etag = read.headers.etag!;

    const ok = await live.patch(`${PLATFORM}/sim-2/Managers/bmc`, { ServiceIdentification: "rack 7, row C" }, { "If-Match": etag });
    t.equal(ok.status, 200);
    t.match(ok.json, { "@odata.id": `${PLATFORM}/sim-2/Managers/bmc`, Message: /ServiceIdentification/ });
    t.equal(bmc.state.managers.bmc!.serviceIdentification, "rack 7, row C", "the simulator's state changed");

    const before = patchesSeen(bmc);
    const stale = await live.patch(`${PLATFORM}/sim-2/Managers/bmc`, { ServiceIdentification: "overwritten" }, { "If-Match": etag });
    t.equal(stale.status, 412);
    t.same(messageIds(stale), ["Base.1.22.PreconditionFailed"]);
    t.equal(patchesSeen(bmc), before, "nothing was sent");
    t.equal(bmc.state.managers.bmc!.serviceIdentification, "rack 7, row C");

    const fresh = await live.get(`${PLATFORM}/sim-2/Managers/bmc`);
    t.not(fresh.headers.etag, etag, "the ETag moved with the change");
    const again = await live.patch(`${PLATFORM}/sim-2/Managers/bmc`, { DateTimeLocalOffset: "+01:00" }, { "If-Match": fresh.headers.etag! });
    t.equal(again.status, 200);
    t.equal(bmc.state.managers.bmc!.dateTimeLocalOffset, "+01:00");
  });

  t.test("without If-Match, a change made on the BMC between read and PATCH is re-read and the PATCH retried once", async (t) => {
    const bmc = live.bmc("sim-2");
    const before = patchesSeen(bmc);
    let touched = false;
    bmc.onRequest = (method) => {
      if (method === "PATCH" && !touched) {
        touched = true;
        bmc.state.managers.bmc!.dateTimeLocalOffset = "+02:00"; // someone else's change: the ETag we hold is stale
      }
    };
    t.teardown(() => (bmc.onRequest = undefined));
    const reply = await live.patch(`${PLATFORM}/sim-2/Managers/bmc`, { ServiceIdentification: "retried" });
    t.equal(reply.status, 200);
    t.equal(patchesSeen(bmc) - before, 2, "412 from the BMC, then one PATCH with the fresh ETag");
    t.equal(bmc.state.managers.bmc!.serviceIdentification, "retried");
    t.equal(bmc.state.managers.bmc!.dateTimeLocalOffset, "+02:00", "the other change survived");
  });

  t.test("PATCH of a manager takes standard Manager properties only, checked before anything is sent", async (t) => {
    const bmc = live.bmc("sim-3");
    const before = patchesSeen(bmc);
    const requestsBefore = bmc.stats.requests;

    const oem = await live.patch(`${PLATFORM}/sim-3/Managers/bmc`, {
      Oem: { OpenBmc: { Fan: { FanControllers: { fan_typo: { PCoefficient: 1 } } } } },
    });
    t.equal(oem.status, 400, "an Oem block would bypass the fan routes' guard against OpenBMC's upsert");
    t.same(messageIds(oem), ["Base.1.22.PropertyUnknown"]);
    t.same(redfishError(oem)["@Message.ExtendedInfo"][0]!.RelatedProperties, ["#/Oem"]);

    const unknown = await live.patch(`${PLATFORM}/sim-3/Managers/bmc`, { Colour: "blue", ServiceIdentification: null });
    t.equal(unknown.status, 400);
    t.same(messageIds(unknown).sort(), ["Base.1.22.PropertyUnknown", "Base.1.22.PropertyValueTypeError"]);

    const badDate = await live.patch(`${PLATFORM}/sim-3/Managers/bmc`, { DateTime: "yesterday" });
    t.equal(badDate.status, 400);
    t.same(messageIds(badDate), ["Base.1.22.PropertyValueFormatError"]);

    const empty = await live.patch(`${PLATFORM}/sim-3/Managers/bmc`, {});
    t.equal(empty.status, 400);
    t.same(messageIds(empty), ["Base.1.22.EmptyJSON"]);

    t.equal(patchesSeen(bmc), before, "no PATCH reached the BMC");
    t.equal(bmc.stats.requests, requestsBefore, "the BMC was not even read");
    t.notOk("fan_typo" in bmc.state.managers.bmc!.fan!.FanControllers);
  });

  t.test("an unknown machine is 404 ResourceNotFound on every live route", async (t) => {
    const routes = [
      ["GET", "Systems"],
      ["GET", "Managers"],
      ["GET", "Managers/bmc"],
      ["PATCH", "Managers/bmc"],
      ["GET", "Managers/bmc/Oem/OpenBmc/Fan/Profile"],
      ["PATCH", "Managers/bmc/Oem/OpenBmc/Fan/FanZones/zone_cpu"],
    ] as const;
    for (const [method, rest] of routes) {
      const path = `${PLATFORM}/ghost/${rest}`;
      const reply = method === "GET" ? await live.get(path) : await live.patch(path, { ServiceIdentification: "x", FailSafePercent: 1 });
      t.equal(reply.status, 404, `${method} ${rest}`);
      t.same(redfishError(reply)["@Message.ExtendedInfo"][0]!.MessageArgs, ["Machine", "ghost"]);
    }
  });

  t.test("the BMC's own 4xx comes back with the same status and the BMC's ExtendedInfo", async (t) => {
    const missing = await live.get(`${PLATFORM}/sim-3/Managers/nosuch`);
    t.equal(missing.status, 404);
    t.equal(redfishError(missing).code, "Base.1.19.0.ResourceNotFound", "the BMC's code, its registry version kept");
    t.same(messageIds(missing), ["Base.1.19.0.ResourceNotFound"]);
    t.match(redfishError(missing).message, /sim-3/);

    const bmc = live.bmc("sim-3");
    await bmc.setFault({ kind: "status", status: 400, methods: ["PATCH"], times: 1 });
    const refused = await live.patch(`${PLATFORM}/sim-3/Managers/bmc`, { ServiceIdentification: "x" });
    t.equal(refused.status, 400);
    t.match(redfishError(refused)["@Message.ExtendedInfo"], [
      { MessageId: "Base.1.19.0.GeneralError", Message: "The request could not be processed (simulated fault)." },
    ]);
    t.match(redfishError(refused).message, /machine 'sim-3'.*HTTP 400/);
  });

  t.test("a BMC 5xx is 502 GeneralError naming the machine, the BMC's messages kept", async (t) => {
    const bmc = live.bmc("sim-4");
    await bmc.setFault({ kind: "status", status: 500 });
    t.teardown(() => bmc.setFault(null));
    const reply = await live.get(`${PLATFORM}/sim-4/Managers/bmc`);
    t.equal(reply.status, 502);
    t.equal(redfishError(reply).code, "Base.1.22.GeneralError");
    t.match(redfishError(reply).message, /machine 'sim-4'.*HTTP 500/);
    t.same(messageIds(reply), ["Base.1.22.GeneralError", "Base.1.19.0.InternalError"]);
  });

  t.test("a BMC that refuses connections is 502 GeneralError naming the machine", async (t) => {
    const bmc = live.bmc("sim-5");
    await bmc.setFault({ kind: "refuse" });
    t.teardown(() => bmc.setFault(null));
    for (const path of ["Systems", "Managers/bmc", "Managers/bmc/Oem/OpenBmc/Fan/Profile"]) {
      const reply = await live.get(`${PLATFORM}/sim-5/${path}`);
      t.equal(reply.status, 502, path);
      t.same(messageIds(reply), ["Base.1.22.GeneralError"]);
      const entry = redfishError(reply)["@Message.ExtendedInfo"][0]!;
      t.match(entry.Message, /machine 'sim-5' refused the connection/);
      t.match(entry.Resolution, /Endpoint/);
    }
  });

  t.test("a hung BMC is 502 after the machine's HTTPClientTimeout, not a hang", async (t) => {
    const bmc = live.bmc("sim-6");
    const set = await live.patch(`${PLATFORM}/sim-6`, { HTTPClientTimeout: 1 });
    t.equal(set.status, 200);
    await bmc.setFault({ kind: "hang" });
    t.teardown(() => bmc.setFault(null));
    const reply = await live.patch(`${PLATFORM}/sim-6/Managers/bmc/Oem/OpenBmc/Fan/Profile`, { Profile: "Balanced" });
    t.equal(reply.status, 502);
    // The message names the machine's own timeout, so it was that (1 s), not a later one, that ended the wait.
    t.match(redfishError(reply).message, /machine 'sim-6' did not answer within its HTTPClientTimeout/);
    t.equal(bmc.state.managers.bmc!.fan!.profile, "Performance");
  });

  t.test("an operator who goes away takes the BMC request with them", async (t) => {
    const bmc = live.bmc("sim-5");
    await bmc.setFault({ kind: "hang" });
    t.teardown(() => bmc.setFault(null));
    const gone = call(live.url, "GET", `${PLATFORM}/sim-5/Managers/bmc`, { signal: AbortSignal.timeout(100) });
    await t.rejects(gone);
    // Its own timeout is far away, so only the operator leaving can end the BMC request.
    await until(() => bmc.stats.hanging === 0, { what: "the gateway to drop its request to the BMC" });
    t.pass("the gateway dropped its request to the BMC");
  });

  t.test("a Base machine has live Systems and Managers, and a PATCHable manager", async (t) => {
    const managers = await live.get(`${PLATFORM}/base-1/Managers`);
    t.same(managers.json.Members, [{ "@odata.id": `${PLATFORM}/base-1/Managers/bmc` }]);
    const manager = await live.get(`${PLATFORM}/base-1/Managers/bmc`);
    t.equal(manager.status, 200);
    t.notOk("Oem" in manager.json, "a standard Redfish BMC has no OpenBMC block");
    const patched = await live.patch(`${PLATFORM}/base-1/Managers/bmc`, { ServiceIdentification: "plain Redfish" }, { "If-Match": manager.headers.etag! });
    t.equal(patched.status, 200);
    t.equal(live.base.state.managers.bmc!.serviceIdentification, "plain Redfish");
  });

  t.test("a method a live resource does not take is 405 with Allow", async (t) => {
    const reply = await live.patch(`${PLATFORM}/sim-1/Systems`, { Name: "x" });
    t.equal(reply.status, 405);
    t.match(reply.headers.allow, /GET/);
  });
});

t.test("the gateway closes the Redfish client it made, and leaves one it was given open", async (t) => {
  const bmc = await new SimulatedBmc({ id: "own-1" }).start();
  t.teardown(() => bmc.close());

  const own = await startGateway();
  const m = bmc.machine();
  const registered = await call(own.url, "POST", PLATFORM, {
    body: { Id: m.id, Endpoint: m.endpoint, Username: m.username, Password: m.password },
  });
  t.equal(registered.status, 201);
  t.equal((await call(own.url, "GET", `${PLATFORM}/own-1/Managers/bmc`)).status, 200);
  t.equal(bmc.stats.openConnections, 1, "a kept-alive connection to the BMC");
  await own.close();
  await until(() => bmc.stats.openConnections === 0, { what: "the client's connections to close" });
  t.pass("closing the gateway closed its client's connections");

  const client = new RedfishClient();
  t.teardown(() => client.close());
  const shared = await startGateway({ client });
  await shared.close();
  const manager = await client.connect(m).get("/redfish/v1/Managers/bmc");
  t.equal(manager.status, 200, "the client given in still works");
});
