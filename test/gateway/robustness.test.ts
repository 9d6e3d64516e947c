/**
 * A loop of malformed requests of every kind a careless or hostile client
 * sends. The promise: each one is answered with a 4xx (never a 5xx, never a
 * dropped connection), and the server still answers afterwards.
 */
import t from "tap";
import { Pool } from "undici";
import { call, machineBody, startGateway } from "./helpers/http.js";
import { jobFixtures } from "./helpers/fixtures.js";

/** Small seeded PRNG (mulberry32) so a failure replays exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Malformed {
  kind: string;
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  path: string;
  body?: string | Buffer;
  contentType?: string | null;
}

const ODD_IDS = [
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e",
  "%00",
  "%E2%98%83",
  "%F0%9F%90%9F%F0%9F%90%9F",
  "x".repeat(5000),
  "%ZZ",
  "a%20b",
  "%3Cscript%3E",
  "m-1%2F..",
  "..",
  "CON",
];

const WRONG_VALUES: unknown[] = [null, true, 0, -1, 1.5, "", "x".repeat(3000), [], {}, [null], { a: 1 }, 1e308, -1e308, "☃🐟", "\u0000"];

function generator(rnd: () => number) {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const jobs = jobFixtures().map((f) => f.body);
  const validMachine = JSON.stringify(machineBody("fresh-id"));

  const builders: (() => Malformed)[] = [
    () => {
      const text = pick([validMachine, JSON.stringify(pick(jobs))]);
      const cut = 1 + Math.floor(rnd() * (text.length - 2));
      const path = text === validMachine ? "/MultiFish/v1/Platform" : "/MultiFish/v1/JobService/Jobs";
      return { kind: "truncated JSON", method: "POST", path, body: text.slice(0, cut) };
    },
    () => {
      const body = machineBody(`wt-${Math.floor(rnd() * 1e9)}`);
      const field = pick(["Id", "Endpoint", "Username", "Password", "Insecure", "HTTPClientTimeout", "Type", "DisableEtagMatch"]);
      let value = pick(WRONG_VALUES);
      // A value that happens to be right for the field would make a valid request.
      if (field === "Insecure" || field === "DisableEtagMatch") value = pick([null, 0, "true", [], {}]);
      if (field === "HTTPClientTimeout") value = pick([null, 0, -1, 1.5, 1e308, "30", []]);
      if (field === "Username" || field === "Password") value = pick([null, 0, true, [], {}, "x".repeat(3000)]);
      return { kind: "wrong type", method: "POST", path: "/MultiFish/v1/Platform", body: JSON.stringify({ ...body, [field]: value }) };
    },
    () => {
      const number = pick(["1e400", "-1e400", "123456789012345678901234567890", "1e308", "0.0000000000000000000001", "-0"]);
      return { kind: "huge number", method: "PATCH", path: "/MultiFish/v1/Platform/m-1", body: `{"HTTPClientTimeout":${number}}` };
    },
    () => {
      const depth = 33 + Math.floor(rnd() * 3000);
      const open = pick(["[", '{"a":']);
      const close = open === "[" ? "]" : "}";
      return { kind: "deep nesting", method: "POST", path: "/MultiFish/v1/Platform", body: `{"Name":${open.repeat(depth)}1${close.repeat(depth)}}` };
    },
    () => {
      const key = pick(["__proto__", "constructor", "prototype"]);
      const inner = `{"${key}":{"isAdmin":true}}`;
      const body = pick([
        `{"Id":"p1","Endpoint":"http://h","Username":"u","Password":"p","${key}":{"polluted":1}}`,
        `{"Name":${inner}}`,
        `{"Schedule":{"Type":"Manual","Period":${inner}},"Action":"A","Machines":["m-1"]}`,
      ]);
      const path = body.includes("Schedule") ? "/MultiFish/v1/JobService/Jobs" : pick(["/MultiFish/v1/Platform", "/MultiFish/v1/Platform/m-1"]);
      return { kind: "prototype keys", method: path.endsWith("m-1") ? "PATCH" : "POST", path, body };
    },
    () => ({ kind: "odd id", method: pick(["GET", "PATCH", "DELETE"] as const), path: `/MultiFish/v1/Platform/${pick(ODD_IDS)}`, body: '{"Name":"x"}' }),
    () => {
      const id = pick(["../../etc", "☃", "名前", "a b", ".hidden", "-dash", "x".repeat(65), "nul\u0000", "🐟"]);
      return { kind: "unicode or bad id in body", method: "POST", path: "/MultiFish/v1/Platform", body: JSON.stringify(machineBody(id)) };
    },
    () => ({
      kind: "invalid UTF-8",
      method: "POST",
      path: "/MultiFish/v1/Platform",
      body: Buffer.concat([Buffer.from('{"Id":"'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]), Buffer.from('"}')]),
    }),
    () => ({
      kind: "wrong content type",
      method: "POST",
      path: "/MultiFish/v1/Platform",
      body: validMachine,
      contentType: pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16"]),
    }),
    () => ({ kind: "not an object", method: pick(["POST", "PATCH"] as const), path: pick(["/MultiFish/v1/Platform", "/MultiFish/v1/Platform/m-1"]), body: pick(["[]", "null", "42", '"s"', "true", "", " "]) }),
    () => ({ kind: "bad paging", method: "GET", path: `/MultiFish/v1/Platform?${pick(["$top=-1", "$top=abc", "$skip=1.5", "$skip=-9", "$top=1e3", "$top=99999999999999999999999"])}` }),
    () => ({ kind: "wrong method", method: pick(["PUT", "DELETE", "PATCH"] as const), path: pick(["/MultiFish/v1", "/MultiFish/v1/Platform"]) }),
    () => ({ kind: "unknown path", method: pick(["GET", "POST"] as const), path: pick(["/MultiFish/v2", "/redfish/v1", "/MultiFish/v1/Platform/m-1/Nope/Deeper", "/", "/MultiFish/v1/%2e%2e/%2e%2e/etc"]) }),
    () => ({ kind: "patch without body", method: "PATCH", path: "/MultiFish/v1/Platform/m-1" }),
    () => {
      const job = { ...pick(jobs) } as Record<string, unknown>;
      const field = pick(["Schedule", "Machines", "Action", "Payload", "Name"]);
      job[field] = pick(WRONG_VALUES.filter((v) => v !== null));
      return { kind: "bad job body", method: "POST", path: "/MultiFish/v1/JobService/Jobs", body: JSON.stringify(job) };
    },
    () => ({ kind: "stale If-Match", method: "PATCH", path: "/MultiFish/v1/Platform/m-1", body: '{"Name":"n"}', contentType: "application/json" }),
  ];
  return { builders, pick };
}

t.test("2 000 malformed requests get only 4xx, and the server still answers", async (t) => {
  const g = await startGateway();
  t.teardown(() => g.close());
  t.equal((await call(g.url, "POST", "/MultiFish/v1/Platform", { body: machineBody("m-1") })).status, 201);

  const pool = new Pool(g.url, { connections: 8 });
  t.teardown(() => pool.close());
  const rnd = random(20260210);
  const { builders } = generator(rnd);
  const requests: Malformed[] = [];
  for (let i = 0; i < 2000; i++) {
    if (i % 200 === 199) {
      requests.push({ kind: "2 MiB body", method: "POST", path: "/MultiFish/v1/Platform", body: Buffer.alloc(2 * 1024 * 1024, 0x7b) });
      continue;
    }
    requests.push((builders[i % builders.length] as () => Malformed)());
  }

  const outcomes = new Map<string, number[]>();
  const unexpected: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < requests.length) {
      const r = requests[next++] as Malformed;
      const headers: Record<string, string> = {};
      if (r.body !== undefined && r.contentType !== null) headers["content-type"] = r.contentType ?? "application/json";
      if (r.kind === "stale If-Match") headers["if-match"] = 'W/"not-the-current-one"';
      let status: number;
      try {
        const res = await pool.request({ method: r.method, path: r.path, headers, ...(r.body !== undefined ? { body: r.body } : {}) });
        await res.body.text();
        status = res.statusCode;
      } catch (error) {
        status = -1;
        unexpected.push(`${r.kind} ${r.method} ${r.path.slice(0, 80)}: ${String(error)}`);
      }
      outcomes.set(r.kind, [...(outcomes.get(r.kind) ?? []), status]);
      if (status < 400 || status > 499) unexpected.push(`${r.kind} ${r.method} ${r.path.slice(0, 80)} -> ${status}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  t.comment(JSON.stringify(Object.fromEntries([...outcomes].map(([k, s]) => [k, [...new Set(s)].sort()]))));
  const total = [...outcomes.values()].reduce((n, s) => n + s.length, 0);
  t.equal(total, 2000);
  t.same(unexpected.slice(0, 20), [], "every malformed request got a 4xx");
  t.ok(outcomes.size >= 16, `${outcomes.size} kinds of malformed request were sent`);
  t.notMatch(g.logLines.join("\n"), /"level":"error"/, "no request was our bug");
  const root = await call(g.url, "GET", "/MultiFish/v1");
  t.equal(root.status, 200, "the server still answers the root");
  t.equal((await call(g.url, "GET", "/MultiFish/v1/Platform/m-1")).json["Name"], "Machine m-1", "the machine was never changed");
});
