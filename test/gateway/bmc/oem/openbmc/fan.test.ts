import t from "tap";
import { isBmcError } from "../../../../../gateway/bmc/errors.js";
import {
  assertFanMemberExists,
  assertProfileAllowed,
  fanMemberBody,
  parseZoneReference,
  profileBody,
  readOpenBmcFan,
  zoneReference,
} from "../../../../../gateway/bmc/oem/openbmc/fan.js";

const manager = {
  Id: "bmc",
  Oem: {
    OpenBmc: {
      Fan: {
        "@odata.id": "/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan",
        Profile: "Balanced",
        "Profile@Redfish.AllowableValues": ["Performance", "Balanced"],
        FanControllers: { "@odata.id": "x", "@odata.type": "#OemManager.FanControllers", fan0: { "@odata.id": "y" } },
        FanZones: { "@odata.id": "z", zone0: {}, zone1: {} },
        PidControllers: { "@odata.id": "p" },
      },
    },
  },
};

t.test("reads names from bmcweb's keyed objects, skipping annotations", async (t) => {
  const view = readOpenBmcFan(manager)!;
  t.equal(view.profile, "Balanced");
  t.same(view.allowableProfiles, ["Performance", "Balanced"]);
  t.same([...view.members.FanControllers], ["fan0"]);
  t.same([...view.members.FanZones], ["zone0", "zone1"]);
  t.same([...view.members.PidControllers], []);
  t.equal(readOpenBmcFan({ Id: "bmc" }), undefined, "no OEM block");
});

t.test("builds the OEM bodies bmcweb expects on the manager", async (t) => {
  t.same(profileBody("PowerSaver"), { Oem: { OpenBmc: { Fan: { Profile: "PowerSaver" } } } });
  t.same(fanMemberBody("FanZones", "zone0", { FailSafePercent: 90 }), { Oem: { OpenBmc: { Fan: { FanZones: { zone0: { FailSafePercent: 90 } } } } } });
  t.equal(zoneReference("bmc", "zone0"), "/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone0");
  t.same(parseZoneReference("/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone0"), { managerId: "bmc", zoneId: "zone0" });
  t.equal(parseZoneReference("/redfish/v1/Managers/bmc/FanZones/zone0"), undefined);
});

/** The refusal a guard throws: its type, or "none". */
function refusal(guard: () => void): string {
  try {
    guard();
    return "none";
  } catch (e) {
    return isBmcError(e) && !e.transient ? e.type : "unexpected";
  }
}

t.test("guards refuse what the BMC does not have or allow", async (t) => {
  const view = readOpenBmcFan(manager)!;
  t.equal(refusal(() => assertProfileAllowed("m1", "bmc", view, "Performance")), "none");
  t.equal(refusal(() => assertProfileAllowed("m1", "bmc", view, "PowerSaver")), "PropertyValueNotInList");
  t.equal(refusal(() => assertProfileAllowed("m1", "bmc", { ...view, allowableProfiles: undefined }, "Performance")), "PropertyValueNotInList", "no list, no change");
  t.equal(refusal(() => assertFanMemberExists("m1", "bmc", view, "FanControllers", "fan0", { Zones: [{ "@odata.id": zoneReference("bmc", "zone1") }] })), "none");
  t.equal(refusal(() => assertFanMemberExists("m1", "bmc", view, "FanControllers", "fan1", {})), "ResourceNotFound");
  t.equal(refusal(() => assertFanMemberExists("m1", "bmc", view, "PidControllers", "pid0", {})), "ResourceNotFound");
  t.equal(
    refusal(() => assertFanMemberExists("m1", "bmc", view, "FanControllers", "fan0", { Zones: [{ "@odata.id": zoneReference("bmc2", "zone1") }] })),
    "ResourceNotFound",
    "a zone of another manager",
  );
});
