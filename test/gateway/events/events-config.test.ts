import t from "tap";
import { ConfigError, describeConfig, loadConfig } from "../../../gateway/config.js";

t.test("the event service reads its settings from the environment; SMTP_PASSWORD is never described", async (t) => {
  const c = loadConfig({
    EVENT_REPLAY_SIZE: "50",
    EVENT_PROGRESS_INTERVAL_MS: "250",
    EVENT_DELIVERY_RETRY_ATTEMPTS: "5",
    EVENT_DELIVERY_RETRY_INTERVAL: "0.5",
    METRICS_OPEN: "true",
    SMTP_HOST: "relay.example.org",
    SMTP_PORT: "2525",
    SMTP_USER: "shoal",
    SMTP_PASSWORD: "smtp-secret-pw",
    SMTP_FROM: "shoal@example.org",
  });
  t.same(c.events, {
    replaySize: 50,
    progressIntervalMs: 250,
    deliveryRetryAttempts: 5,
    deliveryRetryIntervalSeconds: 0.5,
    metricsOpen: true,
    smtp: { host: "relay.example.org", port: 2525, secure: false, user: "shoal", password: "smtp-secret-pw", from: "shoal@example.org" },
  });
  t.notMatch(JSON.stringify(describeConfig(c)), /smtp-secret-pw/);
  t.equal(loadConfig({}).events.smtp, null, "no relay unless SMTP_HOST");
  t.throws(() => loadConfig({ EVENT_DELIVERY_RETRY_INTERVAL: "soon" }), ConfigError);
  t.throws(() => loadConfig({ METRICS_OPEN: "perhaps" }), /METRICS_OPEN/);
});
