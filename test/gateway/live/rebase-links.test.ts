import t from "tap";
import { rebaseLink, rebaseLinks } from "../../../gateway/live/rebase-links.js";

const extend = { machineId: "server-1", openBmcFan: true };
const base = { machineId: "server-1", openBmcFan: false };
const M = "/MultiFish/v1/Platform/server-1";

t.test("links to resources the gateway serves move under the machine; others stay the BMC's", async (t) => {
  const cases: [string, string][] = [
    ["/redfish/v1/Systems", `${M}/Systems`],
    ["/redfish/v1/Systems/", `${M}/Systems`],
    ["/redfish/v1/Managers", `${M}/Managers`],
    ["/redfish/v1/Managers/bmc", `${M}/Managers/bmc`],
    ["/redfish/v1/Managers/bmc#/Oem", `${M}/Managers/bmc#/Oem`],
    ["/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan", `${M}/Managers/bmc#/Oem/OpenBmc/Fan`],
    ["/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones", `${M}/Managers/bmc/Oem/OpenBmc/Fan/FanZones`],
    ["/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_cpu", `${M}/Managers/bmc/Oem/OpenBmc/Fan/FanZones/zone_cpu`],
    ["/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/PidControllers/a~1b", `${M}/Managers/bmc/Oem/OpenBmc/Fan/PidControllers/a%2Fb`],
    // Not served: kept as the BMC sent them.
    ["/redfish/v1", "/redfish/v1"],
    ["/redfish/v1/Systems/system", "/redfish/v1/Systems/system"],
    ["/redfish/v1/Managers/bmc/EthernetInterfaces", "/redfish/v1/Managers/bmc/EthernetInterfaces"],
    ["/redfish/v1/Chassis/chassis", "/redfish/v1/Chassis/chassis"],
    ["/redfish/v1/SessionService/Sessions", "/redfish/v1/SessionService/Sessions"],
    ["https://elsewhere.example/redfish/v1/Managers/bmc", "https://elsewhere.example/redfish/v1/Managers/bmc"],
  ];
  for (const [given, expected] of cases) t.equal(rebaseLink(given, extend), expected, given);
});

t.test("without the OEM fan routes (a Base machine) fan fragments stay fragments of the manager", async (t) => {
  t.equal(rebaseLink("/redfish/v1/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_cpu", base), `${M}/Managers/bmc#/Oem/OpenBmc/Fan/FanZones/zone_cpu`);
  t.equal(rebaseLink("/redfish/v1/Managers/bmc", base), `${M}/Managers/bmc`);
});

t.test("the machine id is a path segment of its own", async (t) => {
  t.equal(rebaseLink("/redfish/v1/Managers", { machineId: "rack 1", openBmcFan: true }), "/MultiFish/v1/Platform/rack%201/Managers");
});

t.test("a whole document: every @odata.id at any depth, nothing else, and the BMC's copy untouched", async (t) => {
  const doc = {
    "@odata.id": "/redfish/v1/Systems/system",
    Description: "/redfish/v1/Managers/bmc",
    Links: { ManagedBy: [{ "@odata.id": "/redfish/v1/Managers/bmc" }], Chassis: [{ "@odata.id": "/redfish/v1/Chassis/c" }] },
  };
  const copy = structuredClone(doc);
  const rebased = rebaseLinks(doc, extend);
  t.same(rebased, {
    "@odata.id": "/redfish/v1/Systems/system",
    Description: "/redfish/v1/Managers/bmc",
    Links: { ManagedBy: [{ "@odata.id": `${M}/Managers/bmc` }], Chassis: [{ "@odata.id": "/redfish/v1/Chassis/c" }] },
  });
  t.same(doc, copy, "the input is not changed");
});

t.test("a BMC's __proto__ key stays a plain property of the copy", async (t) => {
  const doc = JSON.parse('{"__proto__": {"polluted": true}, "Name": "x"}') as Record<string, unknown>;
  const rebased = rebaseLinks(doc, extend);
  t.equal(Object.getPrototypeOf(rebased), Object.prototype);
  t.ok(Object.prototype.hasOwnProperty.call(rebased, "__proto__"));
  t.equal((rebased as { polluted?: unknown }).polluted, undefined);
});
