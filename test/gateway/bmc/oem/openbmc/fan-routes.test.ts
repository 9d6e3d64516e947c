import t from "tap";
import { messageIds, redfishError } from "../../../helpers/http.js";
import { PLATFORM, patchesSeen, startLiveFleet } from "../../../helpers/live-fleet.js";

const FAN = (machine: string, manager = "bmc") => `${PLATFORM}/${machine}/Managers/${manager}/Oem/OpenBmc/Fan`;

t.test("OpenBMC fan resources, live", async (t) => {
  const live = await startLiveFleet(4);
  t.teardown(() => live.close());

  t.test("the profile is read from the BMC, with the values that BMC allows", async (t) => {
    const reply = await live.get(`${FAN("sim-1")}/Profile`);
    t.equal(reply.status, 200);
    t.same(reply.json, {
      "@odata.id": `${FAN("sim-1")}/Profile`,
      "@odata.type": "#OpenBmcFanProfile.v1_0_0.OpenBmcFanProfile",
      Id: "Profile",
      Name: "OpenBMC Fan Profile",
      Profile: "Performance",
      "Profile@Redfish.AllowableValues": ["Performance", "Balanced", "PowerSaver", "Custom"],
    });
    t.match(reply.headers.etag, /^W\/"/);
  });

  t.test("PATCH of the profile changes it on the BMC", async (t) => {
    const bmc = live.bmc("sim-1");
    const reply = await live.patch(`${FAN("sim-1")}/Profile`, { Profile: "PowerSaver" });
    t.equal(reply.status, 200);
    t.match(reply.json, { "@odata.id": `${FAN("sim-1")}/Profile`, Message: /PowerSaver/ });
    t.equal(bmc.state.managers.bmc!.fan!.profile, "PowerSaver");
    t.equal((await live.get(`${FAN("sim-1")}/Profile`)).json.Profile, "PowerSaver");
  });

  t.test("a profile the BMC does not allow is 400 PropertyValueNotInList, and nothing is sent", async (t) => {
    const bmc = live.bmc("sim-1");
    const before = patchesSeen(bmc);
    const reply = await live.patch(`${FAN("sim-1")}/Profile`, { Profile: "Turbo" });
    t.equal(reply.status, 400);
    t.same(messageIds(reply), ["Base.1.22.PropertyValueNotInList"]);
    const entry = redfishError(reply)["@Message.ExtendedInfo"][0]!;
    t.same(entry.MessageArgs, ["Turbo", "Profile"]);
    t.same(entry.RelatedProperties, ["#/Profile"]);
    t.match(entry.Resolution, /Performance, Balanced, PowerSaver, Custom/);
    t.equal(patchesSeen(bmc), before, "no PATCH reached the BMC");
    t.equal(bmc.state.managers.bmc!.fan!.profile, "PowerSaver");

    const typed = await live.patch(`${FAN("sim-1")}/Profile`, { Profile: null });
    t.equal(typed.status, 400);
    t.same(messageIds(typed), ["Base.1.22.PropertyValueTypeError"]);
    const extra = await live.patch(`${FAN("sim-1")}/Profile`, { Profile: "Balanced", Mode: "x" });
    t.same(messageIds(extra), ["Base.1.22.PropertyUnknown"]);
    t.equal(patchesSeen(bmc), before);
  });

  t.test("each collection lists the names the BMC has, and pages", async (t) => {
    const expected = {
      FanControllers: ["fan_cpu", "fan_io"],
      FanZones: ["zone_cpu", "zone_io"],
      PidControllers: ["pid_cpu_temp", "pid_inlet_temp"],
    };
    for (const [collection, names] of Object.entries(expected)) {
      const reply = await live.get(`${FAN("sim-2")}/${collection}`);
      t.equal(reply.status, 200, collection);
      t.equal(reply.json["@odata.id"], `${FAN("sim-2")}/${collection}`);
      t.match(reply.json["@odata.type"], /^#OpenBmc\w+Collection\.OpenBmc\w+Collection$/);
      t.same(reply.json.Members, names.map((n) => ({ "@odata.id": `${FAN("sim-2")}/${collection}/${n}` })));
      t.equal(reply.json["Members@odata.count"], 2);
    }
    const page = await live.get(`${FAN("sim-2")}/FanZones?$top=1`);
    t.same(page.json.Members, [{ "@odata.id": `${FAN("sim-2")}/FanZones/zone_cpu` }]);
    t.equal(page.json["Members@odata.nextLink"], `${FAN("sim-2")}/FanZones?$skip=1&$top=1`);
  });

  t.test("a member is the BMC's object on a path of its own, links re-rooted", async (t) => {
    const reply = await live.get(`${FAN("sim-2")}/FanControllers/fan_cpu`);
    t.equal(reply.status, 200);
    t.match(reply.json, {
      "@odata.id": `${FAN("sim-2")}/FanControllers/fan_cpu`,
      "@odata.type": "#OemManager.FanController",
      Id: "fan_cpu",
      Name: "fan_cpu",
      PCoefficient: 0.01,
      Inputs: ["Fan_1", "Fan_2"],
      Outputs: ["Pwm_1", "Pwm_2"],
      "Zones@odata.count": 1,
    });
    t.same(reply.json.Zones, [{ "@odata.id": `${FAN("sim-2")}/FanZones/zone_cpu` }]);
    t.match(reply.headers.etag, /^W\/"/);

    const zone = await live.get(`${FAN("sim-2")}/FanZones/zone_io`);
    t.match(zone.json, { Id: "zone_io", FailSafePercent: 80, MinThermalOutput: 20 });
    const pid = await live.get(`${FAN("sim-2")}/PidControllers/pid_inlet_temp`);
    t.match(pid.json, { Id: "pid_inlet_temp", SetPoint: 40 });

    const missing = await live.get(`${FAN("sim-2")}/FanZones/zone_gpu`);
    t.equal(missing.status, 404);
    const entry = redfishError(missing)["@Message.ExtendedInfo"][0]!;
    t.same(entry.MessageArgs, ["FanZone", "zone_gpu"]);
    t.match(entry.Resolution, /zone_cpu, zone_io/);
  });

  t.test("PATCH of a controller, a zone and a PID controller changes each on the BMC", async (t) => {
    const bmc = live.bmc("sim-2");
    const fan = bmc.state.managers.bmc!.fan!;
    const controller = await live.patch(`${FAN("sim-2")}/FanControllers/fan_cpu`, { PCoefficient: 0.5, OutLimitMin: 35 });
    t.equal(controller.status, 200);
    t.match(controller.json, { "@odata.id": `${FAN("sim-2")}/FanControllers/fan_cpu`, Message: /PCoefficient, OutLimitMin/ });
    t.match(fan.FanControllers.fan_cpu, { PCoefficient: 0.5, OutLimitMin: 35, OutLimitMax: 100 });

    const zone = await live.patch(`${FAN("sim-2")}/FanZones/zone_cpu`, { FailSafePercent: 90, MinThermalOutput: 30 });
    t.equal(zone.status, 200);
    t.match(fan.FanZones.zone_cpu, { FailSafePercent: 90, MinThermalOutput: 30 });

    const pid = await live.patch(`${FAN("sim-2")}/PidControllers/pid_cpu_temp`, { SetPoint: 72, CheckHysteresisWithSetpoint: "Setpoint" });
    t.equal(pid.status, 200);
    t.match(fan.PidControllers.pid_cpu_temp, { SetPoint: 72, CheckHysteresisWithSetpoint: "Setpoint" });
  });

  t.test("a name the BMC does not have is 404 and no PATCH is sent (OpenBMC would create it)", async (t) => {
    const bmc = live.bmc("sim-3");
    const fan = bmc.state.managers.bmc!.fan!;
    const cases = [
      ["FanControllers", "fan_cpuu", "FanController", { PCoefficient: 1 }],
      ["FanZones", "zone_gpu", "FanZone", { FailSafePercent: 50 }],
      ["PidControllers", "pid_typo", "PidController", { SetPoint: 1 }],
    ] as const;
    for (const [collection, name, type, body] of cases) {
      const before = patchesSeen(bmc);
      const applied = bmc.stats.patchesApplied;
      const reply = await live.patch(`${FAN("sim-3")}/${collection}/${name}`, body);
      t.equal(reply.status, 404, `${collection}/${name}`);
      t.same(messageIds(reply), ["Base.1.22.ResourceNotFound"]);
      t.same(redfishError(reply)["@Message.ExtendedInfo"][0]!.MessageArgs, [type, name]);
      t.match(redfishError(reply)["@Message.ExtendedInfo"][0]!.Resolution, /OpenBMC would create it/);
      t.equal(patchesSeen(bmc), before, "the simulator saw no PATCH");
      t.equal(bmc.stats.patchesApplied, applied);
      t.notOk(name in fan[collection], "nothing was created");
    }
  });

  t.test("null values and unknown properties are 400 before anything is sent", async (t) => {
    const bmc = live.bmc("sim-3");
    const before = patchesSeen(bmc);
    const nulled = await live.patch(`${FAN("sim-3")}/FanControllers/fan_io`, { PCoefficient: null });
    t.equal(nulled.status, 400);
    t.same(messageIds(nulled), ["Base.1.22.PropertyValueTypeError"]);
    t.same(redfishError(nulled)["@Message.ExtendedInfo"][0]!.RelatedProperties, ["#/PCoefficient"]);

    // MultiFish's own example sends these; its BMC client silently dropped them.
    const unknown = await live.patch(`${FAN("sim-3")}/FanControllers/fan_io`, { Multiplier: 2, StepUp: 1 });
    t.equal(unknown.status, 400);
    t.same(messageIds(unknown), ["Base.1.22.PropertyUnknown", "Base.1.22.PropertyUnknown"]);

    const wrongKind = await live.patch(`${FAN("sim-3")}/FanZones/zone_io`, { SetPoint: 3 });
    t.same(messageIds(wrongKind), ["Base.1.22.PropertyUnknown"], "a PID property on a zone");
    const range = await live.patch(`${FAN("sim-3")}/FanZones/zone_io`, { FailSafePercent: 101 });
    t.same(messageIds(range), ["Base.1.22.PropertyValueOutOfRange"]);
    const empty = await live.patch(`${FAN("sim-3")}/PidControllers/pid_cpu_temp`, {});
    t.same(messageIds(empty), ["Base.1.22.EmptyJSON"]);

    t.equal(patchesSeen(bmc), before, "the simulator saw no PATCH");
  });

  t.test("Zones links round-trip as read, and a link to a zone the BMC lacks is 400 with nothing sent", async (t) => {
    const bmc = live.bmc("sim-3");
    const read = await live.get(`${FAN("sim-3")}/FanControllers/fan_io`);
    const back = await live.patch(`${FAN("sim-3")}/FanControllers/fan_io`, {
      Zones: [...(read.json.Zones as unknown[]), { "@odata.id": `${FAN("sim-3")}/FanZones/zone_cpu` }],
    });
    t.equal(back.status, 200, "our own links are taken back");
    t.same(bmc.state.managers.bmc!.fan!.FanControllers.fan_io!.Zones, ["zone_io", "zone_cpu"]);

    const bmcForm = await live.patch(`${FAN("sim-3")}/FanControllers/fan_io`, {
      Zones: [{ "@odata.id": "/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_io" }],
    });
    t.equal(bmcForm.status, 200, "bmcweb's form, as jobs send it, too");
    t.same(bmc.state.managers.bmc!.fan!.FanControllers.fan_io!.Zones, ["zone_io"]);

    const before = patchesSeen(bmc);
    const ghost = await live.patch(`${FAN("sim-3")}/FanControllers/fan_io`, {
      Zones: [{ "@odata.id": `${FAN("sim-3")}/FanZones/zone_io` }, { "@odata.id": `${FAN("sim-3")}/FanZones/zone_gpu` }],
    });
    t.equal(ghost.status, 400);
    const entry = redfishError(ghost)["@Message.ExtendedInfo"][0]!;
    t.equal(entry.MessageId, "Base.1.22.ResourceNotFound");
    t.same(entry.RelatedProperties, ["#/Zones/1"]);
    t.same(entry.MessageArgs, ["FanZone", "/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_gpu"]);

    const otherMachine = await live.patch(`${FAN("sim-3")}/FanControllers/fan_io`, {
      Zones: [{ "@odata.id": `${FAN("sim-4")}/FanZones/zone_io` }],
    });
    t.equal(otherMachine.status, 400);
    t.same(messageIds(otherMachine), ["Base.1.22.PropertyValueFormatError"], "another machine's zone is not a zone of this one");
    t.equal(patchesSeen(bmc), before, "the simulator saw no PATCH");
    t.notOk("zone_gpu" in bmc.state.managers.bmc!.fan!.FanZones);
  });

  t.test("If-Match on a fan resource compares with what the operator read of that resource", async (t) => {
    const bmc = live.bmc("sim-4");
    const zone = await live.get(`${FAN("sim-4")}/FanZones/zone_cpu`);
    const etag = zone.headers.etag!;

    // A change elsewhere on the manager does not make this zone stale.
    t.equal((await live.patch(`${FAN("sim-4")}/FanZones/zone_io`, { FailSafePercent: 70 })).status, 200);
    const ok = await live.patch(`${FAN("sim-4")}/FanZones/zone_cpu`, { FailSafePercent: 95 }, { "If-Match": etag });
    t.equal(ok.status, 200);
    t.equal(bmc.state.managers.bmc!.fan!.FanZones.zone_cpu!.FailSafePercent, 95);

    const before = patchesSeen(bmc);
    const stale = await live.patch(`${FAN("sim-4")}/FanZones/zone_cpu`, { FailSafePercent: 10 }, { "If-Match": etag });
    t.equal(stale.status, 412);
    t.same(messageIds(stale), ["Base.1.22.PreconditionFailed"]);
    t.equal(patchesSeen(bmc), before, "nothing was sent");
    t.equal(bmc.state.managers.bmc!.fan!.FanZones.zone_cpu!.FailSafePercent, 95);

    const profile = await live.get(`${FAN("sim-4")}/Profile`);
    const staleProfile = await live.patch(`${FAN("sim-4")}/Profile`, { Profile: "Balanced" }, { "If-Match": 'W/"not-it"' });
    t.equal(staleProfile.status, 412);
    const okProfile = await live.patch(`${FAN("sim-4")}/Profile`, { Profile: "Balanced" }, { "If-Match": profile.headers.etag! });
    t.equal(okProfile.status, 200);
    t.equal(bmc.state.managers.bmc!.fan!.profile, "Balanced");
  });

  t.test("a change to the same member between the gateway's read and its PATCH is caught by the BMC's ETag and comes back 412", async (t) => {
    const bmc = live.bmc("sim-4");
    const read = await live.get(`${FAN("sim-4")}/PidControllers/pid_cpu_temp`);
    const before = patchesSeen(bmc);
    let touched = false;
    bmc.onRequest = (method) => {
      if (method === "PATCH" && !touched) {
        touched = true;
        bmc.state.managers.bmc!.fan!.PidControllers.pid_cpu_temp!.SetPoint = 85; // someone else, in between
      }
    };
    t.teardown(() => (bmc.onRequest = undefined));
    const reply = await live.patch(`${FAN("sim-4")}/PidControllers/pid_cpu_temp`, { SetPoint: 60 }, { "If-Match": read.headers.etag! });
    t.equal(reply.status, 412, "the re-read shows the operator's copy is stale");
    t.equal(patchesSeen(bmc) - before, 1, "one PATCH, refused by the BMC's If-Match; none after the re-read");
    t.equal(bmc.state.managers.bmc!.fan!.PidControllers.pid_cpu_temp!.SetPoint, 85, "the other change stands");
  });

  t.test("a Base machine has no OEM fan routes: 404, and its BMC is not contacted", async (t) => {
    const requests = live.base.stats.requests;
    const routes = ["Profile", "FanControllers", "FanControllers/fan_cpu", "FanZones", "PidControllers/pid_cpu_temp"];
    for (const rest of routes) {
      const reply = await live.get(`${FAN("base-1")}/${rest}`);
      t.equal(reply.status, 404, rest);
      const entry = redfishError(reply)["@Message.ExtendedInfo"][0]!;
      t.equal(entry.MessageId, "Base.1.22.ResourceNotFound");
      t.match(entry.Resolution, /Type Base.*set its Type to Extend/);
    }
    const patched = await live.patch(`${FAN("base-1")}/Profile`, { Profile: "PowerSaver" });
    t.equal(patched.status, 404);
    t.equal(live.base.stats.requests, requests, "the Base BMC saw no request");
  });

  t.test("a machine registered as Extend whose manager has no OpenBMC fan block is 404 on the fan routes", async (t) => {
    const register = await live.patch(`${PLATFORM}/base-1`, { Type: "Extend" });
    t.equal(register.status, 200);
    t.teardown(async () => {
      await live.patch(`${PLATFORM}/base-1`, { Type: "Base" });
    });
    const patches = live.base.stats.byMethod.PATCH ?? 0;
    for (const [method, rest] of [["GET", "Profile"], ["PATCH", "Profile"], ["GET", "FanZones"], ["PATCH", "FanZones/zone_cpu"]] as const) {
      const body = rest === "Profile" ? { Profile: "PowerSaver" } : { FailSafePercent: 1 };
      const reply = method === "GET" ? await live.get(`${FAN("base-1")}/${rest}`) : await live.patch(`${FAN("base-1")}/${rest}`, body);
      t.equal(reply.status, 404, `${method} ${rest}`);
      t.match(redfishError(reply)["@Message.ExtendedInfo"][0]!.Resolution, /no Oem\/OpenBmc\/Fan block/);
    }
    t.equal(live.base.stats.byMethod.PATCH ?? 0, patches, "no PATCH reached it");
  });

  t.test("an unknown manager is the BMC's 404, passed through", async (t) => {
    const reply = await live.get(`${FAN("sim-1", "nosuch")}/Profile`);
    t.equal(reply.status, 404);
    t.same(messageIds(reply), ["Base.1.19.0.ResourceNotFound"]);
  });
});
