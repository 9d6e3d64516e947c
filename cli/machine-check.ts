/**
 * `shoal machines check`: asks the gateway to read each machine's BMC through
 * its live views (the gateway's stored credentials, its Redfish client) and
 * reports what an operator needs before a job runs at 22:00: reachable,
 * credentials accepted, Type right (an Extend machine has OpenBMC's fan OEM
 * resources), and the managers with their fan controllers and zones.
 */
import { GatewayError, type GatewayClient } from "./http.js";
import { redfishMessages } from "./redfish-error.js";
import { isObject, list, str, type Resource } from "./resources.js";
import { segment } from "./http.js";

export interface ManagerReport {
  Id: string;
  FanControllers: string[] | null;
  FanZones: string[] | null;
}

export interface MachineReport {
  Id: string;
  Type: string | null;
  Reachable: boolean | null;
  CredentialsAccepted: boolean | null;
  TypeMatches: boolean | null;
  Managers: ManagerReport[];
  /** What is wrong and what to do, or null when the machine is ready. */
  Problem: string | null;
}

function firstMessage(error: GatewayError): string {
  return redfishMessages(error.body)[0]?.message ?? `HTTP ${error.status}`;
}

const base = (id: string): string => `/Platform/${segment(id)}`;

/** The last segment of each member link: the names a collection holds. */
function memberNames(collection: Resource): string[] {
  return list(collection, "Members").flatMap((m) => {
    const link = str(m, "@odata.id");
    return link ? [decodeURIComponent(link.split("/").pop() ?? "")] : [];
  });
}

async function fanNames(client: GatewayClient, machineId: string, managerId: string, collection: string): Promise<string[] | null> {
  try {
    return memberNames(await client.get(`${base(machineId)}/Managers/${segment(managerId)}/Oem/OpenBmc/Fan/${collection}`));
  } catch (error) {
    if (error instanceof GatewayError && error.status === 404) return null;
    throw error;
  }
}

export async function checkMachine(client: GatewayClient, machine: Resource): Promise<MachineReport> {
  const id = str(machine, "Id") ?? "?";
  const type = str(machine, "Type");
  const report: MachineReport = { Id: id, Type: type, Reachable: null, CredentialsAccepted: null, TypeMatches: null, Managers: [], Problem: null };
  let managers: Resource;
  try {
    managers = await client.get(`${base(id)}/Managers`);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const message = firstMessage(error);
    if (/credentials/i.test(message)) {
      report.Reachable = true;
      report.CredentialsAccepted = false;
      report.Problem = `the BMC refused the stored credentials; update them: printf %s "$BMC_PASSWORD" | shoal machines edit ${id} --bmc-user USER --password-stdin`;
    } else {
      report.Reachable = false;
      report.Problem = `${message} Check the BMC, or correct the endpoint: shoal machines edit ${id} --endpoint URL`;
    }
    return report;
  }
  report.Reachable = true;
  report.CredentialsAccepted = true;
  const managerIds = memberNames(managers);
  let hasFans = false;
  for (const managerId of managerIds) {
    const entry: ManagerReport = { Id: managerId, FanControllers: null, FanZones: null };
    if (type === "Extend") {
      entry.FanControllers = await fanNames(client, id, managerId, "FanControllers");
      entry.FanZones = await fanNames(client, id, managerId, "FanZones");
      hasFans ||= entry.FanControllers !== null;
    }
    report.Managers.push(entry);
  }
  if (type === "Extend") {
    report.TypeMatches = hasFans;
    if (!hasFans) report.Problem = `no manager has OpenBMC's fan OEM resources, so only PatchManager can run; if it is a standard Redfish BMC: shoal machines edit ${id} --type Base`;
  } else {
    report.TypeMatches = true;
  }
  if (managerIds.length === 0) report.Problem = "the BMC lists no managers";
  return report;
}

export function isObjectReport(value: unknown): value is MachineReport {
  return isObject(value) && typeof value.Id === "string";
}
