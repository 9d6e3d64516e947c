import t from "tap";
import { etagOf } from "../../sim/simulated-bmc.js";
import { call } from "../helpers/http.js";
import { patchesSeen, startLiveFleet } from "../helpers/live-fleet.js";

const SOURCES = "/redfish/v1/AggregationService/AggregationSources";

t.test("the fleet aggregated under /redfish/v1", async (t) => {
  const live = await startLiveFleet(2);
  t.teardown(() => live.close());

  t.test("one AggregationSource per registered machine; the Password is never returned", async (t) => {
    const list = await live.get(SOURCES);
    t.equal(list.status, 200);
    t.same(
      (list.json.Members as { "@odata.id": string }[]).map((m) => m["@odata.id"]).sort(),
      [`${SOURCES}/base-1`, `${SOURCES}/sim-1`, `${SOURCES}/sim-2`],
    );
    const one = await live.get(`${SOURCES}/sim-1`);
    t.match(one.json, { "@odata.type": /^#AggregationSource\.v1_\d+_\d+\.AggregationSource$/, HostName: live.bmc("sim-1").endpoint, UserName: live.bmc("sim-1").username, Password: null });
    t.ok(one.headers.etag);
    t.notMatch(one.text, live.bmc("sim-1").password);
  });

  t.test("Managers and Systems list every machine's members as {machine}_{id}", async (t) => {
    const managers = await live.get("/redfish/v1/Managers");
    t.equal(managers.status, 200);
    t.same(
      (managers.json.Members as { "@odata.id": string }[]).map((m) => m["@odata.id"]).sort(),
      ["/redfish/v1/Managers/base-1_bmc", "/redfish/v1/Managers/sim-1_bmc", "/redfish/v1/Managers/sim-2_bmc"],
    );
    const systems = await live.get("/redfish/v1/Systems");
    t.ok((systems.json.Members as { "@odata.id": string }[]).some((m) => m["@odata.id"] === "/redfish/v1/Systems/sim-1_system"));
    t.equal(systems.json["Members@odata.count"], 3);
  });

  t.test("a member is the BMC's document, read live, with links prefixed and the BMC's ETag", async (t) => {
    const manager = await live.get("/redfish/v1/Managers/sim-1_bmc");
    t.equal(manager.status, 200);
    t.equal(manager.headers.etag, etagOf(live.bmc("sim-1").managerDocument("bmc")));
    t.match(manager.json, { "@odata.id": "/redfish/v1/Managers/sim-1_bmc", Id: "sim-1_bmc", Model: "Shoal BMC simulator" });
    t.notMatch(manager.text, /"\/redfish\/v1\/(Managers|Systems)\/(bmc|system)[/#"]/, "no link left pointing at the BMC's own ids");
    const system = await live.get("/redfish/v1/Systems/sim-1_system");
    t.equal(system.status, 200);
    t.equal(system.json["@odata.id"], "/redfish/v1/Systems/sim-1_system");
    const gets = live.bmc("sim-1").stats.byMethod.GET ?? 0;
    const under = await live.get("/redfish/v1/Managers/sim-1_bmc/EthernetInterfaces");
    t.equal(under.status, 404, "what is under a member is read from the BMC, and its 404 relayed");
    t.equal(live.bmc("sim-1").stats.byMethod.GET, gets + 1, "the BMC was asked");
    t.match(under.text, /EthernetInterfaces/);
    t.equal((await live.get("/redfish/v1/Managers/nosuch_bmc")).status, 404);
    t.equal((await live.get("/redfish/v1/Managers/sim-1_..")).status, 404, "a dot-segment names nothing");
  });

  t.test("PATCH of a manager sets its fan profile behind the upsert guard and If-Match", async (t) => {
    const bmc = live.bmc("sim-2");
    const read = await live.get("/redfish/v1/Managers/sim-2_bmc");
    const stale = await live.patch("/redfish/v1/Managers/sim-2_bmc", { Oem: { OpenBmc: { Fan: { Profile: "PowerSaver" } } } }, { "If-Match": 'W/"stale"' });
    t.equal(stale.status, 412);
    const before = patchesSeen(bmc);
    const ok = await live.patch("/redfish/v1/Managers/sim-2_bmc", { Oem: { OpenBmc: { Fan: { Profile: "PowerSaver" } } } }, { "If-Match": read.headers.etag! });
    t.equal(ok.status, 200, ok.text);
    t.equal(bmc.state.managers.bmc!.fan?.profile, "PowerSaver");

    const notAllowed = await live.patch("/redfish/v1/Managers/sim-2_bmc", { Oem: { OpenBmc: { Fan: { Profile: "Turbo" } } } });
    t.equal(notAllowed.status, 400);
    const unknownZone = await live.patch("/redfish/v1/Managers/sim-2_bmc", { Oem: { OpenBmc: { Fan: { FanZones: { zone_new: { FailSafePercent: 50 } } } } } });
    t.equal(unknownZone.status, 404, "a zone the BMC does not have is never created");
    const unknownProp = await live.patch("/redfish/v1/Managers/sim-2_bmc", { Oem: { Other: {} } });
    t.equal(unknownProp.status, 400);
    t.equal(patchesSeen(bmc), before + 1, "only the accepted PATCH reached the BMC");

    const standard = await live.patch("/redfish/v1/Managers/base-1_bmc", { ServiceIdentification: "rack 9" });
    t.equal(standard.status, 200);
    const oemOnBase = await live.patch("/redfish/v1/Managers/base-1_bmc", { Oem: { OpenBmc: { Fan: { Profile: "PowerSaver" } } } });
    t.equal(oemOnBase.status, 400, "a Base machine has no OpenBMC fan settings");
  });

  t.test("creating and deleting a source is registering and removing a machine", async (t) => {
    const bmc = live.bmc("sim-1");
    const created = await call(live.url, "POST", SOURCES, {
      body: { HostName: bmc.endpoint, UserName: bmc.username, Password: bmc.password, Oem: { Shoal: { Id: "again-1", Type: "Extend" } } },
    });
    t.equal(created.status, 201, created.text);
    t.equal(created.headers.location, `${SOURCES}/again-1`);
    t.equal(created.json.Password, null);
    const machine = await live.get("/MultiFish/v1/Platform/again-1");
    t.equal(machine.status, 200, "the same machine in the Platform view");
    t.equal((await live.get("/redfish/v1/Managers/again-1_bmc")).status, 200);
    t.equal((await call(live.url, "POST", SOURCES, { body: { HostName: "ftp://x", UserName: "u", Password: "p" } })).status, 400);
    const deleted = await call(live.url, "DELETE", `${SOURCES}/again-1`);
    t.equal(deleted.status, 204);
    t.equal((await live.get("/MultiFish/v1/Platform/again-1")).status, 404);
  });
});
