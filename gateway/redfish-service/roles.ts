/**
 * The three roles DSP0268 predefines, and what each may do on both APIs:
 * ReadOnly reads; Operator also runs things (trigger, cancel, plan, revert,
 * resume) and changes a machine's live settings; Administrator does
 * everything (machines, jobs, accounts, subscriptions, the service).
 */
export type RoleId = "Administrator" | "Operator" | "ReadOnly";

export const ROLE_IDS: readonly RoleId[] = ["Administrator", "Operator", "ReadOnly"];

/** Redfish privileges of each role (Role.AssignedPrivileges), as DSP0268 assigns them to the predefined roles. */
export const ROLE_PRIVILEGES: Readonly<Record<RoleId, readonly string[]>> = {
  Administrator: ["Login", "ConfigureManager", "ConfigureUsers", "ConfigureSelf", "ConfigureComponents"],
  Operator: ["Login", "ConfigureSelf", "ConfigureComponents"],
  ReadOnly: ["Login", "ConfigureSelf"],
};

export function isRoleId(value: unknown): value is RoleId {
  return typeof value === "string" && (ROLE_IDS as readonly string[]).includes(value);
}
