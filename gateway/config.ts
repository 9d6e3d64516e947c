/**
 * The gateway's configuration, read from environment variables named as
 * MultiFish names them. Every value is checked up front: a bad one stops
 * start-up with an error that names the variable.
 */
import { isIP } from "node:net";
import { isValidZone } from "../src/schedule/zone.js";
import { LOG_LEVELS, type LogLevel } from "./log.js";
import { readAccountSeeds, type AccountSeed } from "./redfish-service/account-seeds.js";

export type AuthMode = "none" | "basic" | "token";

export interface AuthConfig {
  enabled: boolean;
  mode: AuthMode;
  basic: { username: string; password: string } | null;
  tokens: string[];
  /** Accounts with roles, from AUTH_ACCOUNTS_FILE; the basic user and the tokens are Administrators besides. */
  accounts?: AccountSeed[];
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Tokens added per second to each client's bucket. */
  rate: number;
  /** Bucket size: how many requests a client may send at once. */
  burst: number;
}

/** An SMTP relay for e-mail subscriptions; null when none is configured. */
export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the relay offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

/** The event service: stream, subscriptions' delivery, metrics. */
export interface EventsConfig {
  /** Events kept for Last-Event-ID. */
  replaySize: number;
  /** Least time between two progress events of one run. */
  progressIntervalMs: number;
  /** Failed deliveries of one event before DeliveryRetryPolicy applies. */
  deliveryRetryAttempts: number;
  /** First wait between delivery attempts; later waits double (up to 5 minutes). */
  deliveryRetryIntervalSeconds: number;
  /** GET /metrics without credentials even when auth is on. */
  metricsOpen: boolean;
  smtp: SmtpConfig | null;
}

export interface GatewayConfig {
  host: string;
  port: number;
  logLevel: LogLevel;
  workerPoolSize: number;
  logsDir: string;
  dataDir: string;
  shutdownTimeoutSeconds: number;
  rateLimit: RateLimitConfig;
  auth: AuthConfig;
  /** Addresses or CIDR ranges of proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** PostgreSQL connection string (DATABASE_URL): state lives there instead of DATA_DIR's file. */
  databaseUrl: string | null;
  /** CLUSTER: several gateways share the DATABASE_URL, each doing its share of every run. */
  cluster: boolean;
  /**
   * CLUSTER_TAKEOVER: seconds within which the other instances take over a dead one's work
   * (default 30, at least 10). Shorter fails over sooner; each instance then beats its heart
   * more often, and a stall of half this long (a long GC pause, a frozen VM) counts as death.
   */
  clusterTakeoverSeconds: number;
  connections: ConnectionLimits;
  /** What start-up does with an unreadable state file: refuse to start (default), or move it aside and start empty. */
  storeOnCorrupt: "refuse" | "moveAside";
  events: EventsConfig;
  /** TLS_CERT_FILE and TLS_KEY_FILE (PEM): the gateway serves HTTPS with them; null serves plain HTTP. */
  tls?: { certFile: string; keyFile: string } | null;
}

/** What one client connection may hold of the gateway: see gateway/http/connection-gate.ts. */
export interface ConnectionLimits {
  /** Open client connections at once; more are closed as they arrive. */
  maxConnections: number;
  /** Requests one connection may have unanswered; the next is refused (503) and the connection closed. */
  maxPipelinedRequests: number;
  /** Time for a request's headers to arrive, in seconds. */
  headersTimeoutSeconds: number;
  /** Time for a whole request (headers and body) to arrive, in seconds. */
  requestTimeoutSeconds: number;
  /** A connection whose client takes none of its response's bytes for this long is closed, in seconds. */
  sendTimeoutSeconds: number;
}

export const DEFAULT_CONFIG: Readonly<GatewayConfig> = Object.freeze<GatewayConfig>({
  host: "127.0.0.1",
  port: 8080,
  logLevel: "info",
  workerPoolSize: 5,
  logsDir: "logs",
  dataDir: "data",
  shutdownTimeoutSeconds: 30,
  rateLimit: { enabled: false, rate: 10, burst: 20 },
  auth: { enabled: false, mode: "none", basic: null, tokens: [], accounts: [] },
  trustedProxies: [],
  bodyLimitBytes: 1024 * 1024,
  databaseUrl: null,
  cluster: false,
  clusterTakeoverSeconds: 30,
  connections: { maxConnections: 256, maxPipelinedRequests: 16, headersTimeoutSeconds: 10, requestTimeoutSeconds: 30, sendTimeoutSeconds: 30 },
  storeOnCorrupt: "refuse",
  events: { replaySize: 1000, progressIntervalMs: 1000, deliveryRetryAttempts: 3, deliveryRetryIntervalSeconds: 30, metricsOpen: false, smtp: null },
});

export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
    this.variable = variable;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(text)) throw new ConfigError(name, `expected a whole number, got '${text}'`);
  const value = Number(text);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${text}`);
  return value;
}

function decimal(env: Env, name: string, fallback: number): number {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^[+]?(\d+(\.\d*)?|\.\d+)$/.test(text) || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(name, `expected a number greater than 0, got '${text}'`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  if (["true", "1", "yes", "on"].includes(lower)) return true;
  if (["false", "0", "no", "off"].includes(lower)) return false;
  throw new ConfigError(name, `expected true or false, got '${text}'`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const text = raw(env, name);
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  const match = allowed.find((a) => a === lower);
  if (!match) throw new ConfigError(name, `expected one of ${allowed.join(", ")}, got '${text}'`);
  return match;
}

function list(env: Env, name: string): string[] {
  const text = raw(env, name);
  if (text === undefined) return [];
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function proxyEntry(entry: string): boolean {
  const [address, bits, extra] = entry.split("/");
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function databaseUrl(env: Env): string | null {
  const text = raw(env, "DATABASE_URL");
  if (text === undefined) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError("DATABASE_URL", "expected a URL such as postgres://user@host:5432/database");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError("DATABASE_URL", `expected a postgres:// or postgresql:// URL, got '${url.protocol}'`);
  }
  return text;
}

/** A connection string fit for a log line: the password, if any, masked. */
export function redactDatabaseUrl(text: string): string {
  const url = new URL(text);
  if (url.password !== "") url.password = "***";
  return url.toString();
}

/**
 * TZ is read by the platform, not by us, but a zone it does not know leaves
 * the host without a zone, and every schedule that names none with it.
 * A file (":/etc/localtime") is the platform's business.
 */
function checkHostZone(env: Env): void {
  const text = raw(env, "TZ");
  if (text === undefined) return;
  const name = text.startsWith(":") ? text.slice(1) : text;
  if (name.startsWith("/") || isValidZone(name)) return;
  throw new ConfigError("TZ", `'${text}' is not a time zone this system knows; use an IANA name such as UTC or Europe/Berlin`);
}

function onCorrupt(env: Env, fallback: GatewayConfig["storeOnCorrupt"]): GatewayConfig["storeOnCorrupt"] {
  const text = raw(env, "STORE_ON_CORRUPT");
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  if (lower === "refuse") return "refuse";
  if (lower === "moveaside") return "moveAside";
  throw new ConfigError("STORE_ON_CORRUPT", `expected refuse or moveAside, got '${text}'`);
}

/** Reads the configuration from `env` (process.env by default). Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const d = DEFAULT_CONFIG;
  const host = raw(env, "HOST") ?? d.host;
  const port = integer(env, "PORT", d.port, 0, 65535);
  const logLevel = oneOf(env, "LOG_LEVEL", LOG_LEVELS, d.logLevel);
  const workerPoolSize = integer(env, "WORKER_POOL_SIZE", d.workerPoolSize, 1, 10000);
  const logsDir = raw(env, "LOGS_DIR") ?? d.logsDir;
  const dataDir = raw(env, "DATA_DIR") ?? d.dataDir;
  const shutdownTimeoutSeconds = integer(env, "SHUTDOWN_TIMEOUT", d.shutdownTimeoutSeconds, 0, 3600);
  const storeOnCorrupt = onCorrupt(env, d.storeOnCorrupt);
  checkHostZone(env);

  const rateLimit: RateLimitConfig = {
    enabled: boolean(env, "RATE_LIMIT_ENABLED", d.rateLimit.enabled),
    rate: decimal(env, "RATE_LIMIT_RATE", d.rateLimit.rate),
    burst: integer(env, "RATE_LIMIT_BURST", d.rateLimit.burst, 1, 1_000_000),
  };

  const enabled = boolean(env, "AUTH_ENABLED", d.auth.enabled);
  const mode = oneOf<AuthMode>(env, "AUTH_MODE", ["none", "basic", "token"], enabled ? "basic" : "none");
  const username = env["BASIC_AUTH_USERNAME"] ?? "";
  const password = env["BASIC_AUTH_PASSWORD"] ?? "";
  const tokens = list(env, "TOKEN_AUTH_TOKENS");
  const accountsFile = raw(env, "AUTH_ACCOUNTS_FILE");
  let accounts: AccountSeed[] = [];
  try {
    if (accountsFile !== undefined) accounts = readAccountSeeds(accountsFile);
  } catch (error) {
    throw new ConfigError("AUTH_ACCOUNTS_FILE", error instanceof Error ? error.message : String(error));
  }
  if (enabled && mode === "basic" && accounts.length === 0) {
    // AUTH_ENABLED=true without AUTH_MODE is basic auth: say so, since the operator did not write "basic".
    const why = env["AUTH_MODE"] === undefined || env["AUTH_MODE"] === ""
      ? "required: AUTH_ENABLED=true alone means basic auth (AUTH_MODE=basic), which needs BASIC_AUTH_USERNAME and BASIC_AUTH_PASSWORD; for bearer tokens set AUTH_MODE=token and TOKEN_AUTH_TOKENS"
      : "required when AUTH_MODE is basic";
    if (username === "") throw new ConfigError("BASIC_AUTH_USERNAME", why);
    if (password === "") throw new ConfigError("BASIC_AUTH_PASSWORD", why);
  }
  if (enabled && mode === "token" && tokens.length === 0) {
    throw new ConfigError("TOKEN_AUTH_TOKENS", "at least one token is required when AUTH_MODE is token");
  }
  const auth: AuthConfig = {
    enabled,
    mode,
    basic: username !== "" || password !== "" ? { username, password } : null,
    tokens,
    accounts,
  };

  const certFile = raw(env, "TLS_CERT_FILE");
  const keyFile = raw(env, "TLS_KEY_FILE");
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError(certFile === undefined ? "TLS_CERT_FILE" : "TLS_KEY_FILE", "TLS_CERT_FILE and TLS_KEY_FILE go together: give both (PEM files) to serve HTTPS, or neither");
  }
  const trustedProxies = list(env, "TRUSTED_PROXIES");
  const badProxy = trustedProxies.find((p) => !proxyEntry(p));
  if (badProxy !== undefined) {
    throw new ConfigError("TRUSTED_PROXIES", `'${badProxy}' is not an IP address or CIDR range`);
  }

  const c = d.connections;
  const connections: ConnectionLimits = {
    maxConnections: integer(env, "MAX_CONNECTIONS", c.maxConnections, 1, 1_000_000),
    maxPipelinedRequests: integer(env, "MAX_PIPELINED_REQUESTS", c.maxPipelinedRequests, 1, 10_000),
    headersTimeoutSeconds: integer(env, "HEADERS_TIMEOUT", c.headersTimeoutSeconds, 1, 3600),
    requestTimeoutSeconds: integer(env, "REQUEST_TIMEOUT", c.requestTimeoutSeconds, 1, 3600),
    sendTimeoutSeconds: integer(env, "SEND_TIMEOUT", c.sendTimeoutSeconds, 1, 3600),
  };
  if (connections.headersTimeoutSeconds > connections.requestTimeoutSeconds) {
    throw new ConfigError("HEADERS_TIMEOUT", `must not exceed REQUEST_TIMEOUT (${connections.requestTimeoutSeconds}), got ${connections.headersTimeoutSeconds}`);
  }
  const de = d.events;
  const smtpHost = raw(env, "SMTP_HOST");
  const events: EventsConfig = {
    replaySize: integer(env, "EVENT_REPLAY_SIZE", de.replaySize, 1, 1_000_000),
    progressIntervalMs: integer(env, "EVENT_PROGRESS_INTERVAL_MS", de.progressIntervalMs, 0, 3_600_000),
    deliveryRetryAttempts: integer(env, "EVENT_DELIVERY_RETRY_ATTEMPTS", de.deliveryRetryAttempts, 1, 1000),
    deliveryRetryIntervalSeconds: decimal(env, "EVENT_DELIVERY_RETRY_INTERVAL", de.deliveryRetryIntervalSeconds),
    metricsOpen: boolean(env, "METRICS_OPEN", de.metricsOpen),
    smtp:
      smtpHost === undefined
        ? null
        : {
            host: smtpHost,
            port: integer(env, "SMTP_PORT", 587, 1, 65535),
            secure: boolean(env, "SMTP_SECURE", false),
            user: raw(env, "SMTP_USER") ?? null,
            password: env["SMTP_PASSWORD"] ?? null,
            from: raw(env, "SMTP_FROM") ?? "shoal@localhost",
          },
  };

  const database = databaseUrl(env);
  const cluster = boolean(env, "CLUSTER", d.cluster);
  if (cluster && database === null) throw new ConfigError("CLUSTER", "cluster mode needs DATABASE_URL: the gateways share their state there");
  const clusterTakeoverSeconds = integer(env, "CLUSTER_TAKEOVER", d.clusterTakeoverSeconds, 10, 3600);

  return {
    host,
    port,
    logLevel,
    workerPoolSize,
    logsDir,
    dataDir,
    shutdownTimeoutSeconds,
    rateLimit,
    auth,
    trustedProxies,
    bodyLimitBytes: d.bodyLimitBytes,
    databaseUrl: database,
    cluster,
    clusterTakeoverSeconds,
    connections,
    storeOnCorrupt,
    events,
    ...(certFile !== undefined && keyFile !== undefined && { tls: { certFile, keyFile } }),
  };
}

/** Whether requests must carry credentials under this configuration. */
export function authRequired(auth: AuthConfig): boolean {
  return auth.enabled && auth.mode !== "none";
}

/** The configuration as the start-up log line shows it: no password, no token, only counts. */
export function describeConfig(config: GatewayConfig): Record<string, unknown> {
  return {
    host: config.host,
    port: config.port,
    logLevel: config.logLevel,
    workerPoolSize: config.workerPoolSize,
    logsDir: config.logsDir,
    dataDir: config.dataDir,
    ...(config.databaseUrl !== null && { database: redactDatabaseUrl(config.databaseUrl) }),
    ...(config.cluster && { cluster: true, clusterTakeoverSeconds: config.clusterTakeoverSeconds }),
    shutdownTimeoutSeconds: config.shutdownTimeoutSeconds,
    storeOnCorrupt: config.storeOnCorrupt,
    rateLimit: config.rateLimit,
    auth: authRequired(config.auth)
      ? { mode: config.auth.mode, tokens: config.auth.tokens.length, ...((config.auth.accounts?.length ?? 0) > 0 && { accounts: config.auth.accounts?.length }) }
      : "OFF: every route is open to anyone who can reach this address",
    trustedProxies: config.trustedProxies,
    connections: config.connections,
    events: { ...config.events, smtp: config.events.smtp ? `${config.events.smtp.host}:${config.events.smtp.port}` : null },
  };
}
