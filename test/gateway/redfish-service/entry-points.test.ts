import t from "tap";
import { call, startGateway } from "../helpers/http.js";

const AUTH = { enabled: true, mode: "basic" as const, basic: { username: "admin", password: "pw-admin" }, tokens: [] };

t.test("the standard service's entry points", async (t) => {
  const g = await startGateway({ config: { auth: AUTH }, serviceUuid: "0b6f1d0e-5d0a-4a8e-9c1e-3f2a1b4c5d6e" });
  t.teardown(() => g.close());

  t.test("/redfish names v1, without credentials", async (t) => {
    const reply = await call(g.url, "GET", "/redfish");
    t.equal(reply.status, 200);
    t.same(reply.json, { v1: "/redfish/v1/" });
  });

  t.test("the service root answers at /redfish/v1 and /redfish/v1/ without credentials, with its UUID and links", async (t) => {
    for (const path of ["/redfish/v1", "/redfish/v1/"]) {
      const reply = await call(g.url, "GET", path);
      t.equal(reply.status, 200, path);
      t.match(reply.json, {
        "@odata.id": "/redfish/v1",
        "@odata.type": /^#ServiceRoot\.v1_\d+_\d+\.ServiceRoot$/,
        UUID: "0b6f1d0e-5d0a-4a8e-9c1e-3f2a1b4c5d6e",
        Links: { Sessions: { "@odata.id": "/redfish/v1/SessionService/Sessions" } },
        SessionService: { "@odata.id": "/redfish/v1/SessionService" },
        AccountService: { "@odata.id": "/redfish/v1/AccountService" },
        AggregationService: { "@odata.id": "/redfish/v1/AggregationService" },
        JobService: { "@odata.id": "/redfish/v1/JobService" },
        EventService: { "@odata.id": "/redfish/v1/EventService" },
        Managers: { "@odata.id": "/redfish/v1/Managers" },
        Systems: { "@odata.id": "/redfish/v1/Systems" },
      });
    }
  });

  t.test("odata and $metadata answer without credentials; $metadata references every type the root links to and the OEM namespace", async (t) => {
    const odata = await call(g.url, "GET", "/redfish/v1/odata");
    t.equal(odata.status, 200);
    t.ok((odata.json.value as { name: string }[]).some((v) => v.name === "Managers"));

    const metadata = await call(g.url, "GET", "/redfish/v1/$metadata");
    t.equal(metadata.status, 200);
    t.match(metadata.headers["content-type"], /^application\/xml/);
    for (const ns of ["ServiceRoot", "SessionService", "Session", "AccountService", "ManagerAccount", "Role", "AggregationService", "AggregationSource", "JobService", "Job", "EventService", "ManagerCollection", "ComputerSystemCollection"]) {
      t.match(metadata.text, `<edmx:Include Namespace="${ns}"/>`, ns);
    }
    t.match(metadata.text, /<edmx:Reference Uri="\/redfish\/v1\/Schemas\/Shoal_v1.xml">/);
    t.match(metadata.text, /EntityContainer Name="Service" Extends="ServiceRoot\.v1_\d+_\d+\.ServiceContainer"/);
    const oem = await call(g.url, "GET", "/redfish/v1/Schemas/Shoal_v1.xml", { headers: { authorization: `Basic ${Buffer.from("admin:pw-admin").toString("base64")}` } });
    t.equal(oem.status, 200);
    t.match(oem.text, /Namespace="Shoal\.v1_0_0"/);
  });

  t.test("anything else under /redfish/v1 needs credentials", async (t) => {
    const reply = await call(g.url, "GET", "/redfish/v1/Managers");
    t.equal(reply.status, 401);
  });

  t.test("GET carries Allow, Cache-Control and a Link to the resource's schema", async (t) => {
    const reply = await call(g.url, "GET", "/redfish/v1/");
    t.equal(reply.headers.allow, "GET, HEAD");
    t.ok(reply.headers["cache-control"]);
    t.match(reply.headers.link, /^<http:\/\/redfish\.dmtf\.org\/schemas\/v1\/ServiceRoot\.v1_\d+_\d+\.json>; rel=describedby$/);
    t.equal(reply.headers["odata-version"], "4.0");
  });

  t.test("an OData-Version other than 4.0 is refused with 412; 4.0 is served", async (t) => {
    t.equal((await call(g.url, "GET", "/redfish/v1/", { headers: { "OData-Version": "4.1" } })).status, 412);
    t.equal((await call(g.url, "GET", "/redfish/v1/", { headers: { "OData-Version": "4.0" } })).status, 200);
  });

  t.test("a $ query parameter the service does not implement is 501; paging is served", async (t) => {
    const reply = await call(g.url, "GET", "/redfish/v1/?$rpvunknown");
    t.equal(reply.status, 501);
    t.match(reply.text, /QueryParameterUnsupported/);
    t.equal((await call(g.url, "GET", "/redfish/v1/?$top=1")).status, 200);
  });

  t.test("a method Node's parser does not know is 501", async (t) => {
    const { connect } = await import("node:net");
    const { port } = new URL(g.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => socket.write("FAKEMETHODFORTEST /redfish/v1/ HTTP/1.1\r\nHost: x\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    t.match(answer, /^HTTP\/1\.1 501 /);
  });

  t.test("a write to the service root is 405 with Allow", async (t) => {
    for (const method of ["POST", "PATCH", "DELETE"]) {
      const reply = await call(g.url, method, "/redfish/v1/", { body: {} });
      t.equal(reply.status, 405, method);
      t.match(reply.headers.allow, /GET/);
    }
  });
});
