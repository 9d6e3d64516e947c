/**
 * What makes the simulator a standard Redfish service besides its BMC
 * resources (DSP0266): `/redfish`, the OData service document and $metadata,
 * all readable without credentials, and the ComputerSystem.Reset action, so
 * Redfish clients (sushy's get_system, the DMTF validators) accept it.
 */
import type { SimState } from "./bmc-model.js";

export const OPEN_DOCUMENTS: ReadonlySet<string> = new Set(["/redfish", "/redfish/v1", "/redfish/v1/odata", "/redfish/v1/$metadata"]);

export const RESET_TYPES = ["On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart"] as const;

const REFERENCES: readonly [namespace: string, version?: string][] = [
  ["ServiceRoot", "ServiceRoot.v1_15_0"],
  ["ComputerSystemCollection"],
  ["ComputerSystem", "ComputerSystem.v1_22_0"],
  ["ManagerCollection"],
  ["Manager", "Manager.v1_15_0"],
  ["SessionService", "SessionService.v1_1_8"],
  ["SessionCollection"],
  ["Session", "Session.v1_7_0"],
  ["Resource"],
];

function metadata(): string {
  const refs = REFERENCES.map(
    ([namespace, version]) =>
      `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${namespace}_v1.xml">\n` +
      `    <edmx:Include Namespace="${namespace}"/>\n` +
      (version ? `    <edmx:Include Namespace="${version}"/>\n` : "") +
      `  </edmx:Reference>`,
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">`,
    ...refs,
    `  <edmx:DataServices>`,
    `    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">`,
    `      <EntityContainer Name="Service" Extends="ServiceRoot.v1_15_0.ServiceContainer"/>`,
    `    </Schema>`,
    `  </edmx:DataServices>`,
    `</edmx:Edmx>`,
    "",
  ].join("\n");
}

/** The open document at `path` other than the service root: JSON or XML text with its media type; undefined for other paths. */
export function openDocument(path: string): { type: string; text: string } | undefined {
  if (path === "/redfish") return { type: "application/json", text: JSON.stringify({ v1: "/redfish/v1/" }) };
  if (path === "/redfish/v1/odata") {
    const value = [
      { name: "Service", kind: "Singleton", url: "/redfish/v1/" },
      { name: "Systems", kind: "Singleton", url: "/redfish/v1/Systems" },
      { name: "Managers", kind: "Singleton", url: "/redfish/v1/Managers" },
      { name: "SessionService", kind: "Singleton", url: "/redfish/v1/SessionService" },
    ];
    return { type: "application/json", text: JSON.stringify({ "@odata.context": "/redfish/v1/$metadata", value }) };
  }
  if (path === "/redfish/v1/$metadata") return { type: "application/xml", text: metadata() };
  return undefined;
}

/** Applies a Reset action's body to the system; the error text when the body is not one. */
export function resetSystem(state: SimState, raw: string): string | undefined {
  let body: unknown;
  try {
    body = raw === "" ? {} : JSON.parse(raw);
  } catch {
    return "The request body is not JSON.";
  }
  const type = typeof body === "object" && body !== null ? (body as Record<string, unknown>).ResetType ?? "On" : undefined;
  if (typeof type !== "string" || !(RESET_TYPES as readonly string[]).includes(type)) return `ResetType must be one of ${RESET_TYPES.join(", ")}.`;
  state.powerState = type === "ForceOff" || type === "GracefulShutdown" ? "Off" : "On";
  return undefined;
}
