/**
 * The simulated BMC's resources, kept as plain data a test can read, plus the
 * two things the server does with them: render Redfish documents the way
 * bmcweb shapes them, and apply a PATCH to a manager with bmcweb's semantics,
 * including the dangerous one: a fan controller/zone name the BMC does not have
 * is created, and `null` deletes one.
 */
import { msg, type RedfishMessage } from "./redfish-messages.js";
import { isObject } from "../../src/problems.js";
import { RESET_TYPES } from "./standard-documents.js";

export type FanCollection = "FanControllers" | "FanZones" | "PidControllers";
export const FAN_COLLECTIONS: readonly FanCollection[] = ["FanControllers", "FanZones", "PidControllers"];

/** One controller or zone: its writable properties. Zones are kept as zone names. */
export type FanMember = Record<string, number | string | string[]>;

export interface SimFan {
  profile: string;
  allowableProfiles: string[];
  FanControllers: Record<string, FanMember>;
  FanZones: Record<string, FanMember>;
  PidControllers: Record<string, FanMember>;
}

export interface SimManager {
  id: string;
  serviceIdentification: string;
  dateTime: string;
  dateTimeLocalOffset: string;
  /** Only on OpenBMC (`Extend`) simulators. */
  fan?: SimFan;
}

export interface SimState {
  systemId: string;
  /** The system's power, as the ComputerSystem.Reset action leaves it. */
  powerState: "On" | "Off";
  managers: Record<string, SimManager>;
}

export const DEFAULT_PROFILES = ["Performance", "Balanced", "PowerSaver", "Custom"];

/** Names the simulator starts with, for tests and the demo to refer to. */
export const SIM_FAN_NAMES = {
  FanZones: ["zone_cpu", "zone_io"],
  FanControllers: ["fan_cpu", "fan_io"],
  PidControllers: ["pid_cpu_temp", "pid_inlet_temp"],
} as const;

export interface ModelOptions {
  managers: string[];
  openBmcFan: boolean;
  profiles: string[];
}

function initialFan(profiles: string[]): SimFan {
  const controller = (zone: string, inputs: string[], outputs: string[]): FanMember => ({
    FFGainCoefficient: 0,
    FFOffCoefficient: 0,
    ICoefficient: 0,
    ILimitMax: 0,
    ILimitMin: 0,
    Inputs: inputs,
    NegativeHysteresis: 0,
    OutLimitMax: 100,
    OutLimitMin: 30,
    Outputs: outputs,
    PCoefficient: 0.01,
    PositiveHysteresis: 0,
    SlewNeg: 0,
    SlewPos: 0,
    Zones: [zone],
  });
  const pid = (zone: string, input: string, setPoint: number): FanMember => ({
    FFGainCoefficient: 0,
    FFOffCoefficient: 0,
    ICoefficient: -0.1,
    ILimitMax: 100,
    ILimitMin: 0,
    Inputs: [input],
    NegativeHysteresis: 1,
    OutLimitMax: 100,
    OutLimitMin: 0,
    PCoefficient: -4,
    PositiveHysteresis: 1,
    SetPoint: setPoint,
    SlewNeg: 0,
    SlewPos: 0,
    Zones: [zone],
  });
  return {
    profile: profiles[0] ?? "Performance",
    allowableProfiles: [...profiles],
    FanZones: {
      zone_cpu: { FailSafePercent: 100, MinThermalOutput: 25 },
      zone_io: { FailSafePercent: 80, MinThermalOutput: 20 },
    },
    FanControllers: {
      fan_cpu: controller("zone_cpu", ["Fan_1", "Fan_2"], ["Pwm_1", "Pwm_2"]),
      fan_io: controller("zone_io", ["Fan_3"], ["Pwm_3"]),
    },
    PidControllers: {
      pid_cpu_temp: pid("zone_cpu", "CPU0_Temp", 80),
      pid_inlet_temp: pid("zone_io", "Inlet_Temp", 40),
    },
  };
}

export function initialState(options: ModelOptions): SimState {
  const managers: Record<string, SimManager> = {};
  for (const id of options.managers) {
    const manager: SimManager = {
      id,
      serviceIdentification: "",
      dateTime: "2026-02-10T22:00:00+00:00",
      dateTimeLocalOffset: "+00:00",
    };
    if (options.openBmcFan) manager.fan = initialFan(options.profiles);
    managers[id] = manager;
  }
  return { systemId: "system", powerState: "On", managers };
}

// ---------------------------------------------------------------- rendering

export function serviceRoot(): Record<string, unknown> {
  return {
    "@odata.id": "/redfish/v1",
    "@odata.type": "#ServiceRoot.v1_15_0.ServiceRoot",
    Id: "RootService",
    Name: "Root Service",
    RedfishVersion: "1.17.0",
    Systems: { "@odata.id": "/redfish/v1/Systems" },
    Managers: { "@odata.id": "/redfish/v1/Managers" },
    SessionService: { "@odata.id": "/redfish/v1/SessionService" },
    AccountService: { "@odata.id": "/redfish/v1/AccountService" },
    Links: { Sessions: { "@odata.id": "/redfish/v1/SessionService/Sessions" } },
  };
}

export function collection(uri: string, type: string, name: string, ids: string[]): Record<string, unknown> {
  return {
    "@odata.id": uri,
    "@odata.type": `#${type}.${type}`,
    Name: name,
    Members: ids.map((id) => ({ "@odata.id": `${uri}/${id}` })),
    "Members@odata.count": ids.length,
  };
}

export function system(state: SimState, bmcId: string): Record<string, unknown> {
  return {
    "@odata.id": `/redfish/v1/Systems/${state.systemId}`,
    "@odata.type": "#ComputerSystem.v1_22_0.ComputerSystem",
    Id: state.systemId,
    Name: "system",
    SystemType: "Physical",
    Manufacturer: "Shoal",
    Model: "Simulated server",
    SerialNumber: `SIM-${bmcId}`,
    PowerState: state.powerState,
    Status: { State: "Enabled", Health: "OK" },
    Boot: {
      BootSourceOverrideEnabled: "Disabled",
      BootSourceOverrideTarget: "None",
      "BootSourceOverrideTarget@Redfish.AllowableValues": ["None", "Pxe", "Hdd", "Cd", "BiosSetup"],
      BootSourceOverrideMode: "UEFI",
    },
    Links: { ManagedBy: Object.keys(state.managers).map((m) => ({ "@odata.id": `/redfish/v1/Managers/${m}` })) },
    Actions: {
      "#ComputerSystem.Reset": {
        target: `/redfish/v1/Systems/${state.systemId}/Actions/ComputerSystem.Reset`,
        "ResetType@Redfish.AllowableValues": [...RESET_TYPES],
      },
    },
  };
}

function renderMember(base: string, name: string, kind: string, member: FanMember, managerId: string): Record<string, unknown> {
  const out: Record<string, unknown> = { "@odata.id": `${base}/${name}`, "@odata.type": `#OemManager.${kind}` };
  for (const [key, value] of Object.entries(member)) {
    if (key === "Zones" && Array.isArray(value)) {
      out.Zones = value.map((z) => ({ "@odata.id": zoneRef(managerId, z) }));
      out["Zones@odata.count"] = value.length;
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function zoneRef(managerId: string, zone: string): string {
  return `/redfish/v1/Managers/${managerId}#/Oem/OpenBmc/Fan/FanZones/${zone}`;
}

const MEMBER_KIND: Record<FanCollection, string> = {
  FanControllers: "FanController",
  FanZones: "FanZone",
  PidControllers: "PidController",
};

function renderFan(manager: SimManager, fan: SimFan): Record<string, unknown> {
  const base = `/redfish/v1/Managers/${manager.id}#/Oem/OpenBmc/Fan`;
  const out: Record<string, unknown> = { "@odata.id": base, "@odata.type": "#OemManager.Fan" };
  for (const c of FAN_COLLECTIONS) {
    const block: Record<string, unknown> = { "@odata.id": `${base}/${c}`, "@odata.type": `#OemManager.${c}` };
    for (const [name, member] of Object.entries(fan[c])) {
      block[name] = renderMember(`${base}/${c}`, name, MEMBER_KIND[c], member, manager.id);
    }
    out[c] = block;
  }
  out.Profile = fan.profile;
  out["Profile@Redfish.AllowableValues"] = [...fan.allowableProfiles];
  return out;
}

export function manager(m: SimManager, systemId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    "@odata.id": `/redfish/v1/Managers/${m.id}`,
    // v1_15_0: the first Manager version with ServiceIdentification.
    "@odata.type": "#Manager.v1_15_0.Manager",
    Id: m.id,
    Name: "OpenBmc Manager",
    Description: "Baseboard Management Controller",
    ManagerType: "BMC",
    Model: "Shoal BMC simulator",
    FirmwareVersion: "sim-1.0",
    PowerState: "On",
    ServiceIdentification: m.serviceIdentification,
    DateTime: m.dateTime,
    DateTimeLocalOffset: m.dateTimeLocalOffset,
    Status: { State: "Enabled", Health: "OK" },
    Links: { ManagerForServers: [{ "@odata.id": `/redfish/v1/Systems/${systemId}` }] },
  };
  if (m.fan) {
    out.Oem = {
      "@odata.id": `/redfish/v1/Managers/${m.id}#/Oem`,
      "@odata.type": "#OemManager.Oem",
      OpenBmc: {
        "@odata.id": `/redfish/v1/Managers/${m.id}#/Oem/OpenBmc`,
        "@odata.type": "#OemManager.OpenBmc",
        Fan: renderFan(m, m.fan),
      },
    };
  }
  return out;
}

// ---------------------------------------------------------------- PATCH

export type PatchOutcome = { ok: true } | { ok: false; status: number; messages: RedfishMessage[] };

const WRITABLE_MANAGER = new Set(["ServiceIdentification", "DateTime", "DateTimeLocalOffset"]);
const READ_ONLY_MANAGER = new Set([
  "@odata.id", "@odata.type", "@odata.context", "@odata.etag", "Id", "Name", "Description", "ManagerType",
  "Model", "FirmwareVersion", "PowerState", "Status", "UUID", "Links",
]);

const NUMBER_PROPS = [
  "PCoefficient", "ICoefficient", "DCoefficient", "FFGainCoefficient", "FFOffCoefficient", "ILimitMax", "ILimitMin",
  "OutLimitMax", "OutLimitMin", "SlewNeg", "SlewPos", "PositiveHysteresis", "NegativeHysteresis",
];
const MEMBER_PROPS: Record<FanCollection, Record<string, "number" | "strings" | "zones" | "string" | "hysteresisMode">> = {
  FanControllers: {
    ...Object.fromEntries(NUMBER_PROPS.map((p) => [p, "number" as const])),
    CheckHysteresisWithSetpoint: "hysteresisMode",
    Inputs: "strings",
    Outputs: "strings",
    Zones: "zones",
  },
  PidControllers: {
    ...Object.fromEntries(NUMBER_PROPS.map((p) => [p, "number" as const])),
    CheckHysteresisWithSetpoint: "hysteresisMode",
    Inputs: "strings",
    SetPoint: "number",
    SetPointOffset: "string",
    Zones: "zones",
  },
  FanZones: { FailSafePercent: "number", MinThermalOutput: "number" },
};

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/** Validates one member's properties; returns the converted member or pushes problems. */
function checkMember(c: FanCollection, name: string, body: Record<string, unknown>, manager: SimManager, fan: SimFan, problems: RedfishMessage[]): FanMember {
  const out: FanMember = {};
  const spec = MEMBER_PROPS[c];
  for (const [key, value] of Object.entries(body)) {
    const where = `Oem/OpenBmc/Fan/${c}/${name}/${key}`;
    const kind = spec[key];
    if (kind === undefined) {
      problems.push(msg.propertyUnknown(key));
      continue;
    }
    if (kind === "number") {
      if (typeof value === "number" && Number.isFinite(value)) out[key] = value;
      else problems.push(msg.propertyValueTypeError(show(value), where));
    } else if (kind === "string") {
      if (typeof value === "string") out[key] = value;
      else problems.push(msg.propertyValueTypeError(show(value), where));
    } else if (kind === "hysteresisMode") {
      if (value === "Setpoint" || value === "Input") out[key] = value;
      else problems.push(msg.propertyValueNotInList(show(value), where));
    } else if (kind === "strings") {
      if (Array.isArray(value) && value.every((s) => typeof s === "string")) out[key] = [...(value as string[])];
      else problems.push(msg.propertyValueTypeError(show(value), where));
    } else {
      const zones: string[] = [];
      if (!Array.isArray(value)) {
        problems.push(msg.propertyValueTypeError(show(value), where));
        continue;
      }
      for (const ref of value) {
        const id = isObject(ref) ? ref["@odata.id"] : undefined;
        const prefix = `/redfish/v1/Managers/${manager.id}#/Oem/OpenBmc/Fan/FanZones/`;
        const zone = typeof id === "string" && id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
        if (zone === undefined || !(zone in fan.FanZones)) problems.push(msg.propertyValueNotInList(show(ref), where));
        else zones.push(zone);
      }
      out[key] = zones;
    }
  }
  return out;
}

/**
 * Applies a PATCH body to a manager, all or nothing. Unknown property: 400
 * PropertyUnknown; read-only: 400 PropertyNotWritable; wrong type or value: 400.
 */
export function applyManagerPatch(m: SimManager, body: unknown): PatchOutcome {
  if (!isObject(body)) return { ok: false, status: 400, messages: [msg.malformedJSON()] };
  const problems: RedfishMessage[] = [];
  const changes: Array<() => void> = [];

  for (const [key, value] of Object.entries(body)) {
    if (WRITABLE_MANAGER.has(key)) {
      if (typeof value !== "string") {
        problems.push(msg.propertyValueTypeError(show(value), key));
        continue;
      }
      if (key === "ServiceIdentification") changes.push(() => (m.serviceIdentification = value));
      if (key === "DateTime") changes.push(() => (m.dateTime = value));
      if (key === "DateTimeLocalOffset") changes.push(() => (m.dateTimeLocalOffset = value));
    } else if (key === "Oem") {
      patchOem(m, value, problems, changes);
    } else if (READ_ONLY_MANAGER.has(key)) {
      problems.push(msg.propertyNotWritable(key));
    } else {
      problems.push(msg.propertyUnknown(key));
    }
  }
  if (problems.length > 0) return { ok: false, status: 400, messages: problems };
  for (const change of changes) change();
  return { ok: true };
}

function patchOem(m: SimManager, oem: unknown, problems: RedfishMessage[], changes: Array<() => void>): void {
  if (!isObject(oem)) {
    problems.push(msg.propertyValueTypeError(show(oem), "Oem"));
    return;
  }
  for (const [vendor, openBmc] of Object.entries(oem)) {
    if (vendor !== "OpenBmc" || !m.fan) {
      problems.push(msg.propertyUnknown(`Oem/${vendor}`));
      continue;
    }
    if (!isObject(openBmc)) {
      problems.push(msg.propertyValueTypeError(show(openBmc), "Oem/OpenBmc"));
      continue;
    }
    for (const [key, fanBody] of Object.entries(openBmc)) {
      if (key !== "Fan") {
        problems.push(msg.propertyUnknown(`Oem/OpenBmc/${key}`));
        continue;
      }
      if (!isObject(fanBody)) {
        problems.push(msg.propertyValueTypeError(show(fanBody), "Oem/OpenBmc/Fan"));
        continue;
      }
      patchFan(m, m.fan, fanBody, problems, changes);
    }
  }
}

function patchFan(m: SimManager, fan: SimFan, body: Record<string, unknown>, problems: RedfishMessage[], changes: Array<() => void>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === "Profile") {
      if (typeof value !== "string") problems.push(msg.propertyValueTypeError(show(value), "Profile"));
      else if (!fan.allowableProfiles.includes(value)) problems.push(msg.propertyValueNotInList(value, "Profile"));
      else changes.push(() => (fan.profile = value));
      continue;
    }
    const c = FAN_COLLECTIONS.find((x) => x === key);
    if (c === undefined) {
      problems.push(msg.propertyUnknown(key));
      continue;
    }
    if (!isObject(value)) {
      problems.push(msg.propertyValueTypeError(show(value), `Oem/OpenBmc/Fan/${c}`));
      continue;
    }
    for (const [name, memberBody] of Object.entries(value)) {
      if (memberBody === null) {
        // bmcweb: null deletes the named controller or zone.
        changes.push(() => {
          delete fan[c][name];
        });
        continue;
      }
      if (!isObject(memberBody)) {
        problems.push(msg.propertyValueTypeError(show(memberBody), `Oem/OpenBmc/Fan/${c}/${name}`));
        continue;
      }
      const member = checkMember(c, name, memberBody, m, fan, problems);
      // bmcweb: an unknown name is created (upsert), a known one is merged.
      changes.push(() => {
        fan[c][name] = { ...(fan[c][name] ?? {}), ...member };
      });
    }
  }
}
