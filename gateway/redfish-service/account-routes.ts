/**
 * AccountService with its Accounts (seeded from configuration, read-only
 * here) and the three predefined Roles. Passwords are write-only: always
 * `null` in what is returned.
 */
import { RedfishError } from "../redfish/errors.js";
import { etagOfContent } from "../redfish/etag.js";
import { link } from "../redfish/render.js";
import type { GatewayRouter } from "../routes/router.js";
import type { Account, AccountStore } from "./accounts.js";
import { renderMembers } from "./collection.js";
import { rfPaths } from "./paths.js";
import { isRoleId, ROLE_IDS, ROLE_PRIVILEGES, type RoleId } from "./roles.js";
import { odataType, SERVED } from "./types.js";

export function accountBody(account: Account): Record<string, unknown> {
  return {
    "@odata.type": odataType(SERVED.account),
    "@odata.id": rfPaths.account(account.id),
    Id: account.id,
    Name: "User Account",
    Description: account.source === "BasicAuthSetting" ? "The BASIC_AUTH_USERNAME setting" : "An account of AUTH_ACCOUNTS_FILE",
    UserName: account.userName,
    RoleId: account.roleId,
    Password: null,
    Enabled: true,
    Locked: false,
    AccountTypes: ["Redfish"],
    Links: { Role: link(rfPaths.role(account.roleId)) },
  };
}

export function roleBody(roleId: RoleId): Record<string, unknown> {
  return {
    "@odata.type": odataType(SERVED.role),
    "@odata.id": rfPaths.role(roleId),
    Id: roleId,
    Name: `${roleId} Role`,
    RoleId: roleId,
    IsPredefined: true,
    AssignedPrivileges: [...ROLE_PRIVILEGES[roleId]],
    OemPrivileges: [],
  };
}

export function mountAccountRoutes(router: GatewayRouter, { accounts }: { accounts: AccountStore }): void {
  router.get(rfPaths.accountService, (ctx) => {
    ctx.body = {
      "@odata.type": odataType(SERVED.accountService),
      "@odata.id": rfPaths.accountService,
      Id: "AccountService",
      Name: "Account Service",
      Description: "Accounts seeded from the gateway's configuration, and the roles they carry.",
      ServiceEnabled: true,
      Status: { State: "Enabled", Health: "OK" },
      LocalAccountAuth: "Enabled",
      Accounts: link(rfPaths.accounts),
      Roles: link(rfPaths.roles),
    };
  });

  router.get(rfPaths.accounts, (ctx) => {
    ctx.body = renderMembers(ctx, {
      odataId: rfPaths.accounts,
      odataType: odataType(SERVED.accountCollection),
      name: "Accounts Collection",
      memberIds: accounts.list().map((a) => rfPaths.account(a.id)),
    });
  });

  router.get(`${rfPaths.accounts}/:accountId`, (ctx) => {
    const id = ctx.params.accountId ?? "";
    const account = accounts.get(id);
    if (!account) throw RedfishError.resourceNotFound("ManagerAccount", id);
    const body = accountBody(account);
    const etag = etagOfContent(body);
    ctx.set("ETag", etag);
    ctx.body = { ...body, "@odata.etag": etag };
  });

  router.get(rfPaths.roles, (ctx) => {
    ctx.body = renderMembers(ctx, {
      odataId: rfPaths.roles,
      odataType: odataType(SERVED.roleCollection),
      name: "Roles Collection",
      memberIds: ROLE_IDS.map((r) => rfPaths.role(r)),
    });
  });

  router.get(`${rfPaths.roles}/:roleId`, (ctx) => {
    const id = ctx.params.roleId ?? "";
    if (!isRoleId(id)) throw RedfishError.resourceNotFound("Role", id);
    ctx.body = roleBody(id);
  });
}
