import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import t from "tap";
import { loadActionPayloadSchema } from "../../gateway/bmc/actions/payload-schemas.js";
import type { BmcActionName } from "../../gateway/bmc/actions/types.js";

const ACTIONS: BmcActionName[] = ["PatchProfile", "PatchManager", "PatchFanController", "PatchFanZone", "PatchPidController"];
const ajv = new Ajv({ allErrors: true, strict: true });
const validators = new Map<string, ValidateFunction>(ACTIONS.map((a) => [a, ajv.compile(loadActionPayloadSchema(a))]));

function check(action: string, payload: unknown): ErrorObject[] {
  const validate = validators.get(action)!;
  return validate(payload) ? [] : [...(validate.errors ?? [])];
}

/** The properties ajv calls unknown (additionalProperties). */
function unknownProperties(errors: ErrorObject[]): string[] {
  return errors.filter((e) => e.keyword === "additionalProperties").map((e) => String(e.params.additionalProperty));
}

const zone = (m: string, z: string) => ({ "@odata.id": `/redfish/v1/Managers/${m}#/Oem/OpenBmc/Fan/FanZones/${z}` });

const valid: Record<BmcActionName, unknown[]> = {
  PatchProfile: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
  PatchManager: [{ ManagerID: "bmc", Payload: { ServiceIdentification: "x", DateTime: "2026-02-10T22:00:00+08:00", DateTimeLocalOffset: "+08:00" } }],
  PatchFanController: [
    {
      ManagerID: "bmc",
      FanControllerID: "fan_cpu",
      Payload: {
        PCoefficient: 1, ICoefficient: 0, DCoefficient: 0, FFGainCoefficient: 0, FFOffCoefficient: 0, ILimitMax: 1, ILimitMin: 0,
        OutLimitMax: 100, OutLimitMin: 30, SlewNeg: 0, SlewPos: 0, PositiveHysteresis: 0, NegativeHysteresis: 0,
        CheckHysteresisWithSetpoint: "Setpoint", Inputs: ["Fan_1"], Outputs: ["Pwm_1"], Zones: [zone("bmc", "zone_cpu")],
      },
    },
  ],
  PatchFanZone: [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 100, MinThermalOutput: 30 } }],
  PatchPidController: [
    {
      ManagerID: "bmc",
      PidControllerID: "pid_cpu_temp",
      Payload: { PCoefficient: -4, SetPoint: 80, SetPointOffset: "WarningHigh", CheckHysteresisWithSetpoint: "Input", Inputs: ["CPU0_Temp"], Zones: [zone("bmc", "zone_cpu")] },
    },
  ],
};

t.test("every action schema compiles under ajv's strict mode", async (t) => {
  t.equal(validators.size, 5);
});

t.test("each action accepts a body with every property it knows", async (t) => {
  for (const action of ACTIONS) t.same(check(action, valid[action]), [], action);
});

t.test("the job bodies in test/fixtures pass, except the one with stepwise properties", async (t) => {
  const dir = fileURLToPath(new URL("../../../test/fixtures/payloads/", import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  t.ok(files.length >= 7);
  for (const file of files) {
    const job = JSON.parse(readFileSync(dir + file, "utf8")) as { Action: string; Payload: unknown };
    const errors = check(job.Action, job.Payload);
    if (file === "fan_controller_stepwise_properties.json") {
      t.same(unknownProperties(errors).sort(), ["Multiplier", "StepDown", "StepUp"], file);
    } else {
      t.same(errors, [], file);
    }
  }
});

const shared = fileURLToPath(new URL("../../../../shared/fixtures/multifish-payloads/", import.meta.url));
t.test("MultiFish's published examples pass, except patch_fan_controller.json", { skip: existsSync(shared) ? false : "shared fixtures not present" }, async (t) => {
  for (const file of readdirSync(shared).filter((f) => f.endsWith(".json"))) {
    const job = JSON.parse(readFileSync(shared + file, "utf8")) as { Action: string; Payload: unknown };
    const errors = check(job.Action, job.Payload);
    if (file === "patch_fan_controller.json") t.same(unknownProperties(errors).sort(), ["Multiplier", "StepDown", "StepUp"], file);
    else t.same(errors, [], file);
  }
});

t.test("null values are refused everywhere", async (t) => {
  t.not(check("PatchProfile", [{ ManagerID: "bmc", Payload: { Profile: null } }]).length, 0);
  t.not(check("PatchProfile", [{ ManagerID: null, Payload: { Profile: "Balanced" } }]).length, 0);
  t.not(check("PatchFanZone", [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: null } }]).length, 0);
  t.not(check("PatchFanController", [{ ManagerID: "bmc", FanControllerID: "fan_cpu", Payload: { Inputs: [null] } }]).length, 0);
  t.not(check("PatchPidController", [{ ManagerID: "bmc", PidControllerID: null, Payload: { SetPoint: 1 } }]).length, 0);
  t.not(check("PatchManager", [{ ManagerID: "bmc", Payload: { ServiceIdentification: null } }]).length, 0);
  t.not(check("PatchProfile", null).length, 0);
});

t.test("unknown properties are refused at every level, including __proto__ and constructor", async (t) => {
  t.same(unknownProperties(check("PatchProfile", [{ ManagerID: "bmc", Payload: { Profile: "Balanced", Mode: "x" } }])), ["Mode"]);
  t.same(unknownProperties(check("PatchProfile", [{ ManagerID: "bmc", Payload: { Profile: "Balanced" }, Extra: 1 }])), ["Extra"]);
  t.same(unknownProperties(check("PatchManager", [{ ManagerID: "bmc", Payload: { Oem: {} } }])), ["Oem"], "PatchManager takes standard properties only");
  t.same(unknownProperties(check("PatchFanZone", JSON.parse('[{"ManagerID":"bmc","FanZoneID":"z","Payload":{"__proto__":{"x":1}}}]'))), ["__proto__"]);
  t.same(unknownProperties(check("PatchFanZone", [{ ManagerID: "bmc", FanZoneID: "z", Payload: { constructor: 1 } }])), ["constructor"]);
  t.same(unknownProperties(check("PatchFanController", [{ ManagerID: "bmc", FanControllerID: "f", Payload: { SetPoint: 1 } }])), ["SetPoint"], "SetPoint is PID only");
  t.same(unknownProperties(check("PatchPidController", [{ ManagerID: "bmc", PidControllerID: "p", Payload: { Outputs: ["x"] } }])), ["Outputs"], "Outputs is fan controllers only");
  t.same(unknownProperties(check("PatchFanController", [{ ManagerID: "bmc", FanControllerID: "f", Payload: { Zones: [{ "@odata.id": zone("bmc", "z")["@odata.id"], x: 1 }] } }])), ["x"]);
});

t.test("shape rules: entries required, ids safe, values typed", async (t) => {
  t.not(check("PatchProfile", []).length, 0, "at least one entry");
  t.not(check("PatchProfile", [{ Payload: { Profile: "Balanced" } }]).length, 0, "ManagerID required");
  t.not(check("PatchProfile", [{ ManagerID: "bmc/../x", Payload: { Profile: "Balanced" } }]).length, 0, "no slashes in ids");
  t.not(check("PatchFanZone", [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: {} }]).length, 0, "an empty change is refused");
  t.not(check("PatchFanZone", [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: 101 } }]).length, 0, "percent over 100");
  t.not(check("PatchFanZone", [{ ManagerID: "bmc", FanZoneID: "zone_cpu", Payload: { FailSafePercent: "90" } }]).length, 0, "a number as a string");
  t.not(check("PatchFanController", [{ ManagerID: "bmc", FanControllerID: "f", Payload: { CheckHysteresisWithSetpoint: "Both" } }]).length, 0);
  t.not(check("PatchFanController", [{ ManagerID: "bmc", FanControllerID: "f", Payload: { Zones: [{ "@odata.id": "/redfish/v1/Chassis/x" }] } }]).length, 0, "Zones are fan zone references");
  t.not(check("PatchManager", [{ ManagerID: "bmc", Payload: { DateTimeLocalOffset: "8h" } }]).length, 0);
});
