import t from "tap";
import { DEFAULT_CONFIG, type AuthConfig } from "../../../gateway/config.js";
import { parseBasic, parseBearer } from "../../../gateway/http/auth.js";
import { call, machineBody, redfishError, startGateway } from "../helpers/http.js";

const basicAuth: AuthConfig = { enabled: true, mode: "basic", basic: { username: "ops", password: "Gateway-Pa55-word" }, tokens: [] };
const tokenAuth: AuthConfig = { enabled: true, mode: "token", basic: null, tokens: ["tok-AAAA-1111", "tok-BBBB-2222"] };
const basic = (user: string, pass: string): string => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

const PROTECTED: [string, string][] = [
  ["GET", "/MultiFish/v1/Platform"],
  ["POST", "/MultiFish/v1/Platform"],
  ["GET", "/MultiFish/v1/Platform/m1"],
  ["PATCH", "/MultiFish/v1/Platform/m1"],
  ["DELETE", "/MultiFish/v1/Platform/m1"],
  ["GET", "/MultiFish/v1/JobService"],
  ["GET", "/MultiFish/v1/JobService/Jobs"],
  ["GET", "/MultiFish/v1/no/such/path"],
];

t.test("basic auth: every route but the service root needs credentials", async (t) => {
  const g = await startGateway({ config: { auth: basicAuth } });
  t.teardown(() => g.close());

  const root = await call(g.url, "GET", "/MultiFish/v1");
  t.equal(root.status, 200, "the service root is open");

  for (const [method, path] of PROTECTED) {
    const none = await call(g.url, method, path);
    t.equal(none.status, 401, `${method} ${path} without credentials`);
    t.equal(none.headers["www-authenticate"], 'Basic realm="Shoal", charset="UTF-8"');
    t.equal(redfishError(none).code, "Base.1.22.NoValidSession");

    const wrong = await call(g.url, method, path, { headers: { authorization: basic("ops", "guess") } });
    t.equal(wrong.status, 401, `${method} ${path} with a wrong password`);
    t.equal(redfishError(wrong).code, "Base.1.22.InsufficientPrivilege");
  }

  for (const header of [basic("root", "Gateway-Pa55-word"), basic("ops", ""), "Bearer tok-AAAA-1111", "Basic !!!", "Basic " + Buffer.from("no-colon").toString("base64")]) {
    const reply = await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: { authorization: header } });
    t.equal(reply.status, 401, header);
  }

  const ok = await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: { authorization: basic("ops", "Gateway-Pa55-word") } });
  t.equal(ok.status, 200);
  const created = await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machineBody("m1"), headers: { authorization: basic("ops", "Gateway-Pa55-word") } });
  t.equal(created.status, 201);
});

t.test("token auth: Bearer with any configured token passes, anything else is 401", async (t) => {
  const g = await startGateway({ config: { auth: tokenAuth } });
  t.teardown(() => g.close());
  for (const token of tokenAuth.tokens) {
    const reply = await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: { authorization: `Bearer ${token}` } });
    t.equal(reply.status, 200, token);
  }
  for (const header of ["Bearer tok-AAAA-111", "Bearer tok-AAAA-11111", "Bearer", "tok-AAAA-1111", basic("ops", "tok-AAAA-1111")]) {
    const reply = await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: { authorization: header } });
    t.equal(reply.status, 401, header);
    t.equal(reply.headers["www-authenticate"], 'Bearer realm="Shoal"');
  }
  t.equal((await call(g.url, "GET", "/MultiFish/v1")).status, 200);
});

t.test("auth off (the default) asks for nothing", async (t) => {
  const g = await startGateway({ config: { auth: DEFAULT_CONFIG.auth } });
  t.teardown(() => g.close());
  t.equal((await call(g.url, "GET", "/MultiFish/v1/Platform")).status, 200);
});

t.test("no password, token or BMC credential ever appears in a response body or a log line", async (t) => {
  const g = await startGateway({ config: { auth: basicAuth } });
  t.teardown(() => g.close());
  const auth = { authorization: basic("ops", "Gateway-Pa55-word") };
  const bmcPassword = "BMC-only-S3cret-value";
  const texts: string[] = [];
  const record = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const reply = await call(g.url, method, path, { ...(body !== undefined ? { body } : {}), headers: { ...auth, ...extra } });
    texts.push(reply.text, JSON.stringify(reply.headers));
    return reply;
  };
  await record("POST", "/MultiFish/v1/Platform", machineBody("m1", { Password: bmcPassword }));
  await record("POST", "/MultiFish/v1/Platform", machineBody("m1", { Password: bmcPassword }));
  await record("POST", "/MultiFish/v1/Platform", machineBody("bad id", { Password: bmcPassword }));
  await record("GET", "/MultiFish/v1/Platform/m1");
  await record("PATCH", "/MultiFish/v1/Platform/m1", { Password: `${bmcPassword}-2` });
  await record("PATCH", "/MultiFish/v1/Platform/m1", { Password: 12345678901 });
  await record("GET", "/MultiFish/v1/Platform?$top=5");
  const got = await record("GET", "/MultiFish/v1/Platform/m1");
  t.equal(got.json["Password"], null, "write-only: rendered null");
  t.equal((got.json["Connection"] as Record<string, unknown>)["Password"], null);
  texts.push((await call(g.url, "GET", "/MultiFish/v1/Platform", { headers: { authorization: basic("ops", "wrong-Pa55") } })).text);

  const everything = [...texts, ...g.logLines].join("\n");
  for (const secret of [bmcPassword, "Gateway-Pa55-word", "wrong-Pa55", "12345678901", Buffer.from("ops:Gateway-Pa55-word").toString("base64")]) {
    t.notOk(everything.includes(secret), `'${secret}' never shown`);
  }
  t.ok(g.logLines.length >= 9, "the requests were logged");
});

t.test("credential headers are parsed strictly", async (t) => {
  t.same(parseBasic(basic("a", "b:c")), { username: "a", password: "b:c" }, "a colon in the password is kept");
  t.equal(parseBasic("Basic"), undefined);
  t.equal(parseBearer("Bearer abc"), "abc");
  t.equal(parseBearer("Bearer a b"), undefined);
});
