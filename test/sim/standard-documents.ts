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
  ["AccountService", "AccountService.v1_15_0"],
  ["ManagerAccountCollection"],
  ["ManagerAccount", "ManagerAccount.v1_12_0"],
  ["RoleCollection"],
  ["Role", "Role.v1_3_1"],
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

const ROLES: Readonly<Record<string, string[]>> = {
  Administrator: ["Login", "ConfigureManager", "ConfigureUsers", "ConfigureSelf", "ConfigureComponents"],
  Operator: ["Login", "ConfigureSelf", "ConfigureComponents"],
  ReadOnly: ["Login", "ConfigureSelf"],
};

function members(uri: string, type: string, name: string, ids: readonly string[]): Record<string, unknown> {
  return { "@odata.id": uri, "@odata.type": `#${type}.${type}`, Name: name, Members: ids.map((id) => ({ "@odata.id": `${uri}/${id}` })), "Members@odata.count": ids.length };
}

/** The AccountService of the simulator: its one account (an Administrator) and the three predefined roles. */
export function accountDocument(path: string, username: string): Record<string, unknown> | undefined {
  const service = "/redfish/v1/AccountService";
  if (path === service) {
    return {
      "@odata.id": service,
      "@odata.type": "#AccountService.v1_15_0.AccountService",
      Id: "AccountService",
      Name: "Account Service",
      ServiceEnabled: true,
      Accounts: { "@odata.id": `${service}/Accounts` },
      Roles: { "@odata.id": `${service}/Roles` },
    };
  }
  if (path === `${service}/Accounts`) return members(path, "ManagerAccountCollection", "Accounts Collection", ["1"]);
  if (path === `${service}/Accounts/1`) {
    return {
      "@odata.id": path,
      "@odata.type": "#ManagerAccount.v1_12_0.ManagerAccount",
      Id: "1",
      Name: "User Account",
      UserName: username,
      RoleId: "Administrator",
      Password: null,
      Enabled: true,
      Locked: false,
      AccountTypes: ["Redfish"],
      Links: { Role: { "@odata.id": `${service}/Roles/Administrator` } },
    };
  }
  if (path === `${service}/Roles`) return members(path, "RoleCollection", "Roles Collection", Object.keys(ROLES));
  const role = /^\/redfish\/v1\/AccountService\/Roles\/([A-Za-z]+)$/.exec(path)?.[1];
  if (role !== undefined && ROLES[role]) {
    return {
      "@odata.id": path,
      "@odata.type": "#Role.v1_3_1.Role",
      Id: role,
      Name: `${role} Role`,
      RoleId: role,
      IsPredefined: true,
      AssignedPrivileges: [...ROLES[role]],
      OemPrivileges: [],
    };
  }
  return undefined;
}

/** The methods a path takes, for `Allow` (DSP0266 wants it on GET, HEAD and 405 answers). */
export function allowFor(path: string): string {
  if (/^\/redfish\/v1\/Managers\/[^/]+$/.test(path)) return "GET, HEAD, PATCH";
  if (/^\/redfish\/v1\/SessionService\/Sessions(\/Members)?$/.test(path)) return "GET, HEAD, POST";
  if (/^\/redfish\/v1\/SessionService\/Sessions\/[^/]+$/.test(path)) return "GET, HEAD, DELETE";
  if (/\/Actions\/[^/]+$/.test(path)) return "POST";
  return "GET, HEAD";
}

/** `Link: <schema>; rel=describedby` for a document's `@odata.type`; undefined when it has none. */
export function describedBy(body: unknown): string | undefined {
  const type = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["@odata.type"] : undefined;
  const match = typeof type === "string" ? /^#([A-Za-z0-9]+)(?:\.(v\d+_\d+_\d+))?\.[A-Za-z0-9]+$/.exec(type) : null;
  if (!match) return undefined;
  return `<http://redfish.dmtf.org/schemas/v1/${match[1]}${match[2] === undefined ? "" : `.${match[2]}`}.json>; rel=describedby`;
}
