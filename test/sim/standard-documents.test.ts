import t from "tap";
import { startSimulatedBmc } from "./simulated-bmc.js";

t.test("the simulator is a standard Redfish service", async (t) => {
  const bmc = await startSimulatedBmc();
  t.teardown(() => bmc.close());
  const auth = { authorization: "Basic " + Buffer.from(`${bmc.username}:${bmc.password}`).toString("base64") };
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(bmc.endpoint + path, { headers });
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type") ?? "", text };
  };

  t.test("/redfish, odata and $metadata answer without credentials", async (t) => {
    const versions = await get("/redfish");
    t.equal(versions.status, 200);
    t.same(JSON.parse(versions.text), { v1: "/redfish/v1/" });
    const odata = await get("/redfish/v1/odata");
    t.equal(odata.status, 200);
    t.ok((JSON.parse(odata.text) as { value: unknown[] }).value.length >= 3);
    const metadata = await get("/redfish/v1/$metadata");
    t.equal(metadata.status, 200);
    t.match(metadata.type, /^application\/xml/);
    t.match(metadata.text, /<edmx:Include Namespace="Manager\.v1_15_0"\/>/);
    t.equal((await get("/redfish/v1/Managers")).status, 401, "the rest still needs credentials");
  });

  t.test("the manager is Manager v1_15_0 (it sends ServiceIdentification) and links its servers", async (t) => {
    const manager = JSON.parse((await get("/redfish/v1/Managers/bmc", auth)).text) as Record<string, unknown>;
    t.equal(manager["@odata.type"], "#Manager.v1_15_0.Manager");
    t.ok("ServiceIdentification" in manager);
    t.same(manager.Links, { ManagerForServers: [{ "@odata.id": "/redfish/v1/Systems/system" }] });
  });

  t.test("protocol details: Allow, Cache-Control, Link on GET; HEAD served; OData-Version 4.1 is 412", async (t) => {
    const res = await fetch(bmc.endpoint + "/redfish/v1/Managers/bmc", { headers: auth });
    t.equal(res.headers.get("allow"), "GET, HEAD, PATCH");
    t.ok(res.headers.get("cache-control"));
    t.equal(res.headers.get("link"), "<http://redfish.dmtf.org/schemas/v1/Manager.v1_15_0.json>; rel=describedby");
    t.equal((await fetch(bmc.endpoint + "/redfish/v1/", { method: "HEAD" })).status, 200);
    t.equal((await fetch(bmc.endpoint + "/redfish/v1/", { headers: { "OData-Version": "4.1" } })).status, 412);
  });

  t.test("AccountService with its account and the three predefined roles; login by POST to Sessions/Members", async (t) => {
    const roles = JSON.parse((await get("/redfish/v1/AccountService/Roles", auth)).text) as { Members: unknown[] };
    t.equal(roles.Members.length, 3);
    const account = JSON.parse((await get("/redfish/v1/AccountService/Accounts/1", auth)).text) as Record<string, unknown>;
    t.match(account, { UserName: bmc.username, RoleId: "Administrator", Password: null });
    const login = await fetch(bmc.endpoint + "/redfish/v1/SessionService/Sessions/Members", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ UserName: bmc.username, Password: bmc.password }),
    });
    t.equal(login.status, 201);
    t.ok(login.headers.get("x-auth-token"));
  });

  t.test("the system has Boot and a Reset action that changes its power", async (t) => {
    const system = JSON.parse((await get("/redfish/v1/Systems/system", auth)).text) as Record<string, Record<string, Record<string, unknown>>>;
    t.match(system.Boot, { BootSourceOverrideEnabled: "Disabled" });
    const reset = system.Actions!["#ComputerSystem.Reset"]!;
    t.equal(reset.target, "/redfish/v1/Systems/system/Actions/ComputerSystem.Reset");
    const off = await fetch(bmc.endpoint + (reset.target as string), { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ ResetType: "ForceOff" }) });
    t.equal(off.status, 204);
    t.equal((JSON.parse((await get("/redfish/v1/Systems/system", auth)).text) as Record<string, unknown>).PowerState, "Off");
    const bad = await fetch(bmc.endpoint + (reset.target as string), { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ ResetType: "Explode" }) });
    t.equal(bad.status, 400);
  });
});
