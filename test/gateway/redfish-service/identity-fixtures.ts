import type { AuthConfig } from "../../../gateway/config.js";

/** Basic auth on, with one account per role besides the basic setting's user (an Administrator). */
export const ROLE_AUTH: AuthConfig = {
  enabled: true,
  mode: "basic",
  basic: { username: "root", password: "Root-Pa55" },
  tokens: [],
  accounts: [
    { userName: "admin", roleId: "Administrator", password: "Admin-Pa55" },
    { userName: "ops", roleId: "Operator", password: "Ops-Pa55" },
    { userName: "viewer", roleId: "ReadOnly", password: "Viewer-Pa55" },
  ],
};

export const PASSWORDS: Readonly<Record<string, string>> = { root: "Root-Pa55", admin: "Admin-Pa55", ops: "Ops-Pa55", viewer: "Viewer-Pa55" };

export const basic = (user: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${PASSWORDS[user] ?? ""}`).toString("base64")}`,
});
