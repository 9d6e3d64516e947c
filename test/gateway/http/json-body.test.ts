import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import t from "tap";
import { request } from "undici";
import { unsafeContent } from "../../../gateway/http/json-body.js";
import { call, machineBody, messageIds, redfishError, related, startGateway } from "../helpers/http.js";

const PLATFORM = "/MultiFish/v1/Platform";
const json = { "content-type": "application/json" };

t.test("request bodies over real HTTP", async (t) => {
  const g = await startGateway();
  t.teardown(() => g.close());

  t.test("a body over 1 MiB is 413, whether its length is declared or streamed", async (t) => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const declared = await call(g.url, "POST", PLATFORM, { raw: big, headers: json });
    t.equal(declared.status, 413);
    t.equal(redfishError(declared).code, "Base.1.22.GeneralError");
    t.match(redfishError(declared)["@Message.ExtendedInfo"][0]?.Resolution, /1048576 bytes/);

    const chunks = Readable.from((function* () {
      for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, 0x20);
    })());
    const streamed = await request(`${g.url}${PLATFORM}`, { method: "POST", headers: json, body: chunks });
    t.equal(streamed.statusCode, 413, "chunked body without Content-Length");
    await streamed.body.text();

    const after = await call(g.url, "GET", "/MultiFish/v1");
    t.equal(after.status, 200, "the server still answers");
  });

  t.test("a declared type other than JSON is 415; no Content-Type at all is read as JSON", async (t) => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=iso-8859-1"]) {
      const reply = await call(g.url, "POST", PLATFORM, { raw: JSON.stringify(machineBody("m415")), headers: { "content-type": type } });
      t.equal(reply.status, 415, type);
      t.equal(redfishError(reply).code, "Base.1.22.GeneralError");
    }
    const untyped = await call(g.url, "POST", PLATFORM, { raw: JSON.stringify(machineBody("untyped")) });
    t.equal(untyped.status, 201);
    const vendor = await call(g.url, "POST", PLATFORM, { raw: JSON.stringify(machineBody("vendor")), headers: { "content-type": "application/vnd.shoal+json; charset=utf-8" } });
    t.equal(vendor.status, 201, "+json types are JSON");
  });

  t.test("a body with a Content-Encoding other than identity is 415, never parsed as plain JSON", async (t) => {
    for (const [encoding, raw] of [
      ["gzip", gzipSync(JSON.stringify(machineBody("zipped")))],
      ["deflate", Buffer.from(JSON.stringify(machineBody("zipped")))],
      ["identity, gzip", gzipSync(JSON.stringify(machineBody("zipped")))],
    ] as const) {
      const reply = await call(g.url, "POST", PLATFORM, { raw, headers: { ...json, "content-encoding": encoding } });
      t.equal(reply.status, 415, encoding);
      t.match(redfishError(reply)["@Message.ExtendedInfo"][0]?.Resolution, /Content-Encoding/, encoding);
    }
    t.equal((await call(g.url, "GET", `${PLATFORM}/zipped`)).status, 404, "nothing was registered");
    const identity = await call(g.url, "POST", PLATFORM, { raw: JSON.stringify(machineBody("plain-identity")), headers: { ...json, "content-encoding": "identity" } });
    t.equal(identity.status, 201, "identity is no encoding");
  });

  t.test("text that is not a JSON object is 400 MalformedJSON", async (t) => {
    for (const raw of ["{", '{"Id": "m1",', "[1,2]", '"text"', "42", "null", "   ", Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]) {
      const reply = await call(g.url, "POST", PLATFORM, { raw, headers: json });
      t.equal(reply.status, 400, JSON.stringify(String(raw)));
      t.equal(redfishError(reply).code, "Base.1.22.MalformedJSON", JSON.stringify(String(raw)));
    }
  });

  t.test("a PATCH that needs a body and has none is 400 MalformedJSON", async (t) => {
    await call(g.url, "POST", PLATFORM, { body: machineBody("nobody") });
    const reply = await call(g.url, "PATCH", `${PLATFORM}/nobody`);
    t.equal(reply.status, 400);
    t.equal(redfishError(reply).code, "Base.1.22.MalformedJSON");
  });

  t.test("prototype-polluting keys are PropertyUnknown at their pointer, anywhere in the body", async (t) => {
    const raw = '{"Id":"pp","Endpoint":"http://h","Username":"u","Password":"p","__proto__":{"admin":true},"Name":{"constructor":{"prototype":1}}}';
    const reply = await call(g.url, "POST", PLATFORM, { raw, headers: json });
    t.equal(reply.status, 400);
    t.same(messageIds(reply), ["Base.1.22.PropertyUnknown", "Base.1.22.PropertyUnknown"]);
    t.same(related(reply), ["#/__proto__", "#/Name/constructor"]);
    t.equal(({} as Record<string, unknown>)["admin"], undefined);
  });

  t.test("a number JSON cannot hold is PropertyValueOutOfRange", async (t) => {
    const reply = await call(g.url, "POST", PLATFORM, { raw: '{"Id":"n","HTTPClientTimeout":1e400}', headers: json });
    t.equal(reply.status, 400);
    t.same(messageIds(reply), ["Base.1.22.PropertyValueOutOfRange"]);
    t.same(related(reply), ["#/HTTPClientTimeout"]);
  });

  t.test("absurd nesting is refused at the depth limit, without blowing the stack", async (t) => {
    const deep = `{"Name":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const reply = await call(g.url, "POST", PLATFORM, { raw: deep, headers: json });
    t.equal(reply.status, 400);
    t.same(messageIds(reply), ["Base.1.22.PropertyValueError"]);
    t.match(related(reply)[0], /^#\/Name(\/0){31}$/);
  });

  t.test("unicode survives the round trip", async (t) => {
    const reply = await call(g.url, "POST", PLATFORM, { body: machineBody("uni", { Name: "機架 7 — nœud ☃ 🐟" }) });
    t.equal(reply.status, 201);
    t.equal(reply.json["Name"], "機架 7 — nœud ☃ 🐟");
  });
});

t.test("the safety walk lists each bad key and stops at the depth limit", async (t) => {
  t.same(unsafeContent({ a: [{ b: 1 }] }, 32), []);
  t.same(
    unsafeContent(JSON.parse('{"a":{"constructor":1},"prototype":2}') as unknown, 32).map((p) => p.relatedProperties),
    [["#/a/constructor"], ["#/prototype"]],
  );
  t.same(unsafeContent({ a: { b: { c: 1 } } }, 2).map((p) => p.relatedProperties), [["#/a/b"]]);
  t.same(unsafeContent({ "x/y": { "~": Infinity } }, 32).map((p) => p.relatedProperties), [["#/x~1y/~0"]]);
});
