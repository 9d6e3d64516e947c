import t from "tap";
import { clientAddress, trustedProxies } from "../../../gateway/http/client-address.js";
import { TokenBuckets } from "../../../gateway/http/token-bucket.js";
import { call, redfishError, startGateway } from "../helpers/http.js";

t.test("a bucket allows its burst, then one request per 1/rate seconds", async (t) => {
  let now = 0;
  const buckets = new TokenBuckets({ rate: 2, burst: 3, now: () => now });
  t.same([1, 2, 3].map(() => buckets.take("a").allowed), [true, true, true]);
  t.same(buckets.take("a"), { allowed: false, retryAfterSeconds: 1 });
  t.ok(buckets.take("b").allowed, "another client has its own bucket");
  now += 500;
  t.ok(buckets.take("a").allowed, "half a second at 2/s refills one token");
  t.notOk(buckets.take("a").allowed);
  now += 10_000;
  t.same([1, 2, 3, 4].map(() => buckets.take("a").allowed), [true, true, true, false], "never more than the burst");
});

t.test("Retry-After says how long until a token is back, at least a second", async (t) => {
  const buckets = new TokenBuckets({ rate: 0.1, burst: 1, now: () => 0 });
  buckets.take("a");
  t.equal(buckets.take("a").retryAfterSeconds, 10);
});

t.test("full buckets are forgotten once there are many clients", async (t) => {
  let now = 0;
  const buckets = new TokenBuckets({ rate: 1, burst: 1, now: () => now, sweepAbove: 100 });
  for (let i = 0; i < 100; i++) buckets.take(`c${i}`);
  now += 5000;
  buckets.take("late");
  t.equal(buckets.size, 1, "only the client whose bucket is not full is kept");
});

t.test("X-Forwarded-For counts only from a trusted proxy", async (t) => {
  const trusted = trustedProxies(["10.0.0.0/8", "::1"]);
  t.equal(clientAddress("203.0.113.9", "198.51.100.1", trusted), "203.0.113.9", "an untrusted peer cannot pick its identity");
  t.equal(clientAddress("203.0.113.9", "198.51.100.1", null), "203.0.113.9");
  t.equal(clientAddress("10.1.1.1", "198.51.100.1", trusted), "198.51.100.1");
  t.equal(clientAddress("10.1.1.1", "6.6.6.6, 198.51.100.1, 10.2.2.2", trusted), "198.51.100.1", "the nearest untrusted hop, not the spoofable first one");
  t.equal(clientAddress("::ffff:10.1.1.1", "198.51.100.7", trusted), "198.51.100.7", "IPv4-mapped addresses are normalised");
  t.equal(clientAddress("::1", "garbage, 10.3.3.3", trusted), "10.3.3.3", "stops at a hop that is not an address");
  t.equal(clientAddress("::ffff:127.0.0.1", undefined, trusted), "127.0.0.1");
});

t.test("over HTTP: 429 with Retry-After past the burst, per client, off by default", async (t) => {
  const now = 1_000_000;
  const limited = await startGateway({ config: { rateLimit: { enabled: true, rate: 1, burst: 2 }, trustedProxies: ["127.0.0.1"] }, now: () => now });
  t.teardown(() => limited.close());
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await call(limited.url, "GET", "/MultiFish/v1")).status);
  t.same(statuses, [200, 200, 429]);
  const denied = await call(limited.url, "GET", "/MultiFish/v1/Platform");
  t.equal(denied.status, 429);
  t.equal(denied.headers["retry-after"], "1");
  t.equal(redfishError(denied).code, "Base.1.22.GeneralError");
  t.equal(denied.headers["odata-version"], "4.0");

  const proxied = await call(limited.url, "GET", "/MultiFish/v1", { headers: { "x-forwarded-for": "198.51.100.20" } });
  t.equal(proxied.status, 200, "behind a trusted proxy each forwarded client has its own bucket");

  const open = await startGateway();
  t.teardown(() => open.close());
  const many = await Promise.all(Array.from({ length: 50 }, () => call(open.url, "GET", "/MultiFish/v1")));
  t.ok(many.every((r) => r.status === 200), "no limit unless enabled");
});

t.test("over HTTP: an untrusted client's X-Forwarded-For does not buy it a new bucket", async (t) => {
  const g = await startGateway({ config: { rateLimit: { enabled: true, rate: 1, burst: 1 } }, now: () => 0 });
  t.teardown(() => g.close());
  t.equal((await call(g.url, "GET", "/MultiFish/v1", { headers: { "x-forwarded-for": "1.1.1.1" } })).status, 200);
  t.equal((await call(g.url, "GET", "/MultiFish/v1", { headers: { "x-forwarded-for": "2.2.2.2" } })).status, 429);
});
