import t from "tap";
import { authRequired, ConfigError, DEFAULT_CONFIG, describeConfig, loadConfig, type Env } from "../../gateway/config.js";

t.test("with no variables set, the embedded defaults apply: 127.0.0.1:8080, data/, logs/, pool 5, auth and rate limit off", async (t) => {
  const c = loadConfig({});
  t.same(c, DEFAULT_CONFIG);
  t.equal(c.host, "127.0.0.1");
  t.equal(c.port, 8080);
  t.equal(c.dataDir, "data");
  t.equal(c.logsDir, "logs");
  t.equal(c.workerPoolSize, 5);
  t.equal(c.auth.enabled, false);
  t.equal(c.rateLimit.enabled, false);
  t.equal(c.bodyLimitBytes, 1024 * 1024);
});

t.test("every MultiFish variable is read into the typed config", async (t) => {
  const c = loadConfig({
    PORT: "9090",
    HOST: "0.0.0.0",
    LOG_LEVEL: "DEBUG",
    WORKER_POOL_SIZE: "100",
    LOGS_DIR: "/var/log/shoal",
    DATA_DIR: "/var/lib/shoal",
    SHUTDOWN_TIMEOUT: "45",
    RATE_LIMIT_ENABLED: "true",
    RATE_LIMIT_RATE: "2.5",
    RATE_LIMIT_BURST: "7",
    AUTH_ENABLED: "true",
    AUTH_MODE: "token",
    TOKEN_AUTH_TOKENS: " alpha , beta,,gamma ",
    TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1,::1",
  });
  t.match(c, {
    port: 9090,
    host: "0.0.0.0",
    logLevel: "debug",
    workerPoolSize: 100,
    logsDir: "/var/log/shoal",
    dataDir: "/var/lib/shoal",
    shutdownTimeoutSeconds: 45,
    rateLimit: { enabled: true, rate: 2.5, burst: 7 },
    auth: { enabled: true, mode: "token", tokens: ["alpha", "beta", "gamma"] },
    trustedProxies: ["10.0.0.0/8", "127.0.0.1", "::1"],
  });
  t.ok(authRequired(c.auth));
  const basic = loadConfig({ AUTH_ENABLED: "1", AUTH_MODE: "basic", BASIC_AUTH_USERNAME: "ops", BASIC_AUTH_PASSWORD: "pw" });
  t.same(basic.auth.basic, { username: "ops", password: "pw" });
});

t.test("a bad value stops start-up with an error naming the variable", async (t) => {
  const cases: [Env, string][] = [
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "80.5" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ WORKER_POOL_SIZE: "0" }, "WORKER_POOL_SIZE"],
    [{ WORKER_POOL_SIZE: "10001" }, "WORKER_POOL_SIZE"],
    [{ SHUTDOWN_TIMEOUT: "-3" }, "SHUTDOWN_TIMEOUT"],
    [{ RATE_LIMIT_ENABLED: "maybe" }, "RATE_LIMIT_ENABLED"],
    [{ RATE_LIMIT_RATE: "0" }, "RATE_LIMIT_RATE"],
    [{ RATE_LIMIT_RATE: "fast" }, "RATE_LIMIT_RATE"],
    [{ RATE_LIMIT_BURST: "0" }, "RATE_LIMIT_BURST"],
    [{ AUTH_ENABLED: "sure" }, "AUTH_ENABLED"],
    [{ AUTH_MODE: "kerberos" }, "AUTH_MODE"],
    [{ AUTH_ENABLED: "true", AUTH_MODE: "basic", BASIC_AUTH_PASSWORD: "pw" }, "BASIC_AUTH_USERNAME"],
    [{ AUTH_ENABLED: "true", AUTH_MODE: "basic", BASIC_AUTH_USERNAME: "ops" }, "BASIC_AUTH_PASSWORD"],
    [{ AUTH_ENABLED: "true" }, "BASIC_AUTH_USERNAME"],
    [{ AUTH_ENABLED: "true", AUTH_MODE: "token", TOKEN_AUTH_TOKENS: " , " }, "TOKEN_AUTH_TOKENS"],
    [{ TLS_CERT_FILE: "/etc/shoal/cert.pem" }, "TLS_KEY_FILE"],
    [{ TLS_KEY_FILE: "/etc/shoal/key.pem" }, "TLS_CERT_FILE"],
    [{ AUTH_ACCOUNTS_FILE: "/nonexistent/accounts.json" }, "AUTH_ACCOUNTS_FILE"],
    [{ TRUSTED_PROXIES: "proxy.local" }, "TRUSTED_PROXIES"],
    [{ TRUSTED_PROXIES: "10.0.0.0/33" }, "TRUSTED_PROXIES"],
  ];
  for (const [env, variable] of cases) {
    try {
      loadConfig(env);
      t.fail(`${JSON.stringify(env)} accepted`);
    } catch (e) {
      t.ok(e instanceof ConfigError, JSON.stringify(env));
      t.equal((e as ConfigError).variable, variable, JSON.stringify(env));
      t.match((e as Error).message, new RegExp(`^${variable}:`));
    }
  }
});

t.test("AUTH_MODE none, even with AUTH_ENABLED, requires no credentials", async (t) => {
  const c = loadConfig({ AUTH_ENABLED: "true", AUTH_MODE: "none" });
  t.notOk(authRequired(c.auth));
});

t.test("the start-up description shows no password or token and says loudly when auth is off", async (t) => {
  const on = describeConfig(loadConfig({ AUTH_ENABLED: "true", AUTH_MODE: "token", TOKEN_AUTH_TOKENS: "tok-secret-1,tok-secret-2" }));
  t.notMatch(JSON.stringify(on), /tok-secret/);
  t.same(on["auth"], { mode: "token", tokens: 2 });
  const basic = describeConfig(loadConfig({ AUTH_ENABLED: "true", BASIC_AUTH_USERNAME: "ops", BASIC_AUTH_PASSWORD: "pw-secret" }));
  t.notMatch(JSON.stringify(basic), /pw-secret/);
  t.match(String(describeConfig(loadConfig({}))["auth"]), /OFF/);
});

t.test("DATABASE_URL selects PostgreSQL; a bad one names the variable; the start-up line masks its password", async (t) => {
  t.equal(loadConfig({}).databaseUrl, null);
  const c = loadConfig({ DATABASE_URL: "postgres://shoal:s3cret@db.example:5432/shoal" });
  t.equal(c.databaseUrl, "postgres://shoal:s3cret@db.example:5432/shoal");
  t.equal(describeConfig(c)["database"], "postgres://shoal:***@db.example:5432/shoal");
  t.notMatch(JSON.stringify(describeConfig(c)), /s3cret/);
  for (const bad of ["mysql://x@y/z", "not a url"]) {
    t.throws(() => loadConfig({ DATABASE_URL: bad }), new ConfigError("DATABASE_URL", bad.startsWith("mysql") ? "expected a postgres:// or postgresql:// URL, got 'mysql:'" : "expected a URL such as postgres://user@host:5432/database"));
  }
});

t.test("CLUSTER turns cluster mode on, only with a DATABASE_URL to share; the start-up line says so", async (t) => {
  t.equal(loadConfig({}).cluster, false);
  const c = loadConfig({ DATABASE_URL: "postgres://shoal@db.example/shoal", CLUSTER: "true" });
  t.equal(c.cluster, true);
  t.equal(describeConfig(c)["cluster"], true);
  t.equal(c.clusterTakeoverSeconds, 30, "a dead instance's work is taken over within 30 s unless CLUSTER_TAKEOVER says otherwise");
  t.equal(describeConfig(c)["clusterTakeoverSeconds"], 30);
  t.equal(loadConfig({ DATABASE_URL: "postgres://shoal@db.example/shoal", CLUSTER: "true", CLUSTER_TAKEOVER: "12" }).clusterTakeoverSeconds, 12);
  t.throws(() => loadConfig({ DATABASE_URL: "postgres://shoal@db.example/shoal", CLUSTER: "true", CLUSTER_TAKEOVER: "5" }), new ConfigError("CLUSTER_TAKEOVER", "must be between 10 and 3600, got 5"));
  t.throws(() => loadConfig({ CLUSTER: "true" }), new ConfigError("CLUSTER", "cluster mode needs DATABASE_URL: the gateways share their state there"));
  t.throws(() => loadConfig({ DATABASE_URL: "postgres://shoal@db.example/shoal", CLUSTER: "maybe" }), new ConfigError("CLUSTER", "expected true or false, got 'maybe'"));
});
