import t from "tap";
import { call, machineBody, messageIds, redfishError, related, startGateway } from "../helpers/http.js";

const PLATFORM = "/MultiFish/v1/Platform";

t.test("Platform over real HTTP", async (t) => {
  const targeted = new Set<string>();
  const g = await startGateway();
  g.gateway.registry.setTargetCheck((id) => targeted.has(id));
  t.teardown(() => g.close());

  t.test("POST registers a machine: 201, Location, ETag, Password null", async (t) => {
    const reply = await call(g.url, "POST", PLATFORM, { body: machineBody("rack7-node01", { HTTPClientTimeout: 45, Insecure: true }) });
    t.equal(reply.status, 201);
    t.equal(reply.headers["location"], `${PLATFORM}/rack7-node01`);
    t.match(reply.headers["etag"], /^W\/"/);
    t.match(reply.json, {
      "@odata.type": "#Machine.v1_0_0.Machine",
      "@odata.id": `${PLATFORM}/rack7-node01`,
      "@odata.etag": reply.headers["etag"],
      Id: "rack7-node01",
      Name: "Machine rack7-node01",
      Type: "Extend",
      "Type@Redfish.AllowableValues": ["Base", "Extend"],
      Endpoint: "https://10.0.0.10",
      Username: "root",
      Password: null,
      Insecure: true,
      HTTPClientTimeout: 45,
      DisableEtagMatch: false,
      Connection: { Endpoint: "https://10.0.0.10", Username: "root", Password: null, HTTPClientTimeout: 45 },
      Managers: { "@odata.id": `${PLATFORM}/rack7-node01/Managers` },
    });
    t.notMatch(reply.text, /s3cret/);
  });

  t.test("GET returns the machine with the same ETag; an unknown one is 404 ResourceNotFound", async (t) => {
    const created = await call(g.url, "POST", PLATFORM, { body: machineBody("get-me") });
    const got = await call(g.url, "GET", `${PLATFORM}/get-me`);
    t.equal(got.status, 200);
    t.equal(got.headers["etag"], created.headers["etag"]);
    t.same(got.json, created.json);
    const missing = await call(g.url, "GET", `${PLATFORM}/ghost`);
    t.equal(missing.status, 404);
    t.equal(redfishError(missing).code, "Base.1.22.ResourceNotFound");
    t.same(redfishError(missing)["@Message.ExtendedInfo"][0]?.MessageArgs, ["Machine", "ghost"]);
    const odd = await call(g.url, "GET", `${PLATFORM}/..%2F..%2Fetc%2Fpasswd`);
    t.equal(odd.status, 404, "an encoded path traversal is just an unknown id");
  });

  t.test("a duplicate Id is 409 ResourceAlreadyExists pointing at Id", async (t) => {
    const reply = await call(g.url, "POST", PLATFORM, { body: machineBody("rack7-node01") });
    t.equal(reply.status, 409);
    t.equal(redfishError(reply).code, "Base.1.22.ResourceAlreadyExists");
    t.same(related(reply), ["#/Id"]);
    t.same(redfishError(reply)["@Message.ExtendedInfo"][0]?.MessageArgs, ["Machine", "Id", "rack7-node01"]);
  });

  t.test("invalid bodies get one entry per problem, with its pointer, and register nothing", async (t) => {
    const cases: [Record<string, unknown>, string[], string[]][] = [
      [{ Id: "x1" }, ["PropertyMissing", "PropertyMissing", "PropertyMissing"], ["#/Endpoint", "#/Username", "#/Password"]],
      [machineBody("../../etc"), ["PropertyValueFormatError"], ["#/Id"]],
      [machineBody("x2", { Type: "OpenBMC" }), ["PropertyValueNotInList"], ["#/Type"]],
      [machineBody("x3", { Endpoint: "bmc.example" }), ["PropertyValueFormatError"], ["#/Endpoint"]],
      [machineBody("x4", { HTTPClientTimeout: 0 }), ["PropertyValueOutOfRange"], ["#/HTTPClientTimeout"]],
      [machineBody("x5", { Insecure: "yes" }), ["PropertyValueTypeError"], ["#/Insecure"]],
      [machineBody("x6", { Colour: "red" }), ["PropertyUnknown"], ["#/Colour"]],
    ];
    for (const [body, ids, pointers] of cases) {
      const reply = await call(g.url, "POST", PLATFORM, { body });
      t.equal(reply.status, 400, JSON.stringify(body));
      t.same(messageIds(reply), ids.map((id) => `Base.1.22.${id}`), JSON.stringify(body));
      t.same(related(reply), pointers);
      t.equal(redfishError(reply).code, ids.length === 1 ? `Base.1.22.${ids[0]}` : "Base.1.22.GeneralError");
    }
    const list = await call(g.url, "GET", PLATFORM);
    const members = (list.json["Members"] as { "@odata.id": string }[]).map((m) => m["@odata.id"]);
    t.notOk(members.some((m) => /x\d$/.test(m)), "nothing was registered");
  });

  t.test("PATCH changes the machine and its ETag; a stale If-Match is 412 and changes nothing", async (t) => {
    const created = await call(g.url, "POST", PLATFORM, { body: machineBody("patch-me") });
    const etag = created.headers["etag"] ?? "";
    const patched = await call(g.url, "PATCH", `${PLATFORM}/patch-me`, { body: { HTTPClientTimeout: 90, DisableEtagMatch: true }, headers: { "if-match": etag } });
    t.equal(patched.status, 200);
    t.match(patched.json, { HTTPClientTimeout: 90, DisableEtagMatch: true, Endpoint: "https://10.0.0.10" });
    t.not(patched.headers["etag"], etag);

    const stale = await call(g.url, "PATCH", `${PLATFORM}/patch-me`, { body: { Name: "late" }, headers: { "if-match": etag } });
    t.equal(stale.status, 412);
    t.equal(redfishError(stale).code, "Base.1.22.PreconditionFailed");
    t.equal((await call(g.url, "GET", `${PLATFORM}/patch-me`)).json["Name"], "Machine patch-me");

    const password = await call(g.url, "PATCH", `${PLATFORM}/patch-me`, { body: { Password: "rotated-pw" } });
    t.equal(password.json["Password"], null);
    t.not(password.headers["etag"], patched.headers["etag"], "a new password is a new version, though it is never shown");
    t.equal(g.gateway.registry.get("patch-me")?.password, "rotated-pw");
  });

  t.test("changing Endpoint, Username or AuthMethod without Password is 400 PropertyMissing at #/Password and changes nothing", async (t) => {
    await call(g.url, "POST", PLATFORM, { body: machineBody("victim") });
    const before = await call(g.url, "GET", `${PLATFORM}/victim`);
    for (const body of [{ Endpoint: "http://attacker.example" }, { Username: "other" }, { AuthMethod: "Session" }]) {
      const reply = await call(g.url, "PATCH", `${PLATFORM}/victim`, { body });
      t.equal(reply.status, 400, JSON.stringify(body));
      t.same(messageIds(reply), ["Base.1.22.PropertyMissing"], JSON.stringify(body));
      t.same(related(reply), ["#/Password"]);
    }
    t.same((await call(g.url, "GET", `${PLATFORM}/victim`)).json, before.json);
    t.equal(g.gateway.registry.get("victim")?.endpoint, "https://10.0.0.10");
    const withPassword = await call(g.url, "PATCH", `${PLATFORM}/victim`, { body: { Endpoint: "https://10.0.0.99", Password: "new-pw" } });
    t.equal(withPassword.status, 200, "with the password in the same request the move is allowed");
    t.equal(withPassword.json["Endpoint"], "https://10.0.0.99");
  });

  t.test("an Endpoint with port 0, a query or a fragment is 400 PropertyValueFormatError, not altered", async (t) => {
    const bad = ["http://10.0.0.1:0", "http://10.0.0.1:000/redfish", "https://10.0.0.1/?x=1", "https://10.0.0.1#frag", "https://10.0.0.1/base?"];
    for (const [i, endpoint] of bad.entries()) {
      const reply = await call(g.url, "POST", PLATFORM, { body: machineBody(`odd-endpoint-${i}`, { Endpoint: endpoint }) });
      t.equal(reply.status, 400, endpoint);
      t.same(messageIds(reply), ["Base.1.22.PropertyValueFormatError"], endpoint);
      t.same(related(reply), ["#/Endpoint"], endpoint);
    }
    const ok = await call(g.url, "POST", PLATFORM, { body: machineBody("port-10", { Endpoint: "http://10.0.0.1:10/prefix" }) });
    t.equal(ok.status, 201, "a port that merely contains a 0 is fine");
  });

  t.test("an invalid PATCH changes nothing and names each problem", async (t) => {
    await call(g.url, "POST", PLATFORM, { body: machineBody("strict") });
    const before = await call(g.url, "GET", `${PLATFORM}/strict`);
    const reply = await call(g.url, "PATCH", `${PLATFORM}/strict`, { body: { Id: "renamed", Name: "ok", HTTPClientTimeout: -1, Managers: {} } });
    t.equal(reply.status, 400);
    t.same(messageIds(reply).sort(), ["Base.1.22.PropertyNotWritable", "Base.1.22.PropertyNotWritable", "Base.1.22.PropertyValueOutOfRange"]);
    t.same(related(reply).sort(), ["#/HTTPClientTimeout", "#/Id", "#/Managers"]);
    t.same((await call(g.url, "GET", `${PLATFORM}/strict`)).json, before.json);
    const ghost = await call(g.url, "PATCH", `${PLATFORM}/ghost`, { body: { Name: "x" } });
    t.equal(ghost.status, 404);
  });

  t.test("DELETE: If-Match honoured, refused while a job targets the machine unless force", async (t) => {
    const created = await call(g.url, "POST", PLATFORM, { body: machineBody("doomed") });
    const stale = await call(g.url, "DELETE", `${PLATFORM}/doomed`, { headers: { "if-match": 'W/"old"' } });
    t.equal(stale.status, 412);

    targeted.add("doomed");
    const inUse = await call(g.url, "DELETE", `${PLATFORM}/doomed`);
    t.equal(inUse.status, 409);
    t.equal(redfishError(inUse).code, "Base.1.22.ResourceInUse");
    t.match(redfishError(inUse)["@Message.ExtendedInfo"][0]?.Resolution, /force=true/);
    t.equal((await call(g.url, "GET", `${PLATFORM}/doomed`)).status, 200);

    const forced = await call(g.url, "DELETE", `${PLATFORM}/doomed?force=true`, { headers: { "if-match": created.headers["etag"] ?? "" } });
    t.equal(forced.status, 200);
    t.match(forced.json, { "@Message.ExtendedInfo": [{ MessageId: "Base.1.22.Success" }] });
    t.equal((await call(g.url, "GET", `${PLATFORM}/doomed`)).status, 404);
    t.equal((await call(g.url, "DELETE", `${PLATFORM}/doomed`)).status, 404);
  });

  t.test("the collection lists every machine by id, pages with $top/$skip, and rejects bad paging", async (t) => {
    const all = await call(g.url, "GET", PLATFORM);
    t.equal(all.status, 200);
    t.equal(all.json["@odata.type"], "#MachineCollection.MachineCollection");
    const ids = (all.json["Members"] as { "@odata.id": string }[]).map((m) => m["@odata.id"]);
    t.equal(all.json["Members@odata.count"], ids.length);
    t.same(ids, [...ids].sort());
    const page = await call(g.url, "GET", `${PLATFORM}?$top=2&$skip=1`);
    t.same((page.json["Members"] as { "@odata.id": string }[]).map((m) => m["@odata.id"]), ids.slice(1, 3));
    t.equal(page.json["Members@odata.count"], ids.length);
    t.equal(page.json["Members@odata.nextLink"], `${PLATFORM}?$skip=3&$top=2`);
    const bad = await call(g.url, "GET", `${PLATFORM}?$top=lots`);
    t.equal(bad.status, 400);
    t.equal(redfishError(bad).code, "Base.1.22.QueryParameterValueTypeError");
  });
});
