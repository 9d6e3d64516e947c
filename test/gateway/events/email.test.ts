import type { AddressInfo } from "node:net";
import t from "tap";
import { SMTPServer } from "smtp-server";
import { DEFAULT_CONFIG } from "../../../gateway/config.js";
import { call, startGateway } from "../helpers/http.js";

interface Mail {
  from: string;
  to: string[];
  text: string;
}

t.test("an e-mail subscription gets the failure mail through the SMTP relay: job, run, failed machines and their errors", async (t) => {
  const mails: Mail[] = [];
  let arrived: () => void = () => undefined;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let text = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => (text += c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          text,
        });
        callback();
        arrived();
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const port = (sink.server.address() as AddressInfo).port;
  t.teardown(() => new Promise<void>((resolve) => sink.close(() => resolve())));

  const g = await startGateway({
    defineActions: (scheduler) =>
      scheduler.defineAction("work", {
        async run(ctx) {
          if (ctx.target.startsWith("bad")) throw Object.assign(new Error(`fan controller refused on ${ctx.target}`), { type: "HttpError" });
          return { message: "ok" };
        },
      }),
    config: {
      events: {
        ...DEFAULT_CONFIG.events,
        smtp: { host: "127.0.0.1", port, secure: false, user: null, password: null, from: "shoal@gateway.test" },
      },
    },
  });
  t.teardown(() => g.close());

  const reply = await call(g.url, "POST", "/redfish/v1/EventService/Subscriptions", {
    body: { Destination: "mailto:ops@example.org,oncall@example.org", MessageIds: ["TaskEvent.TaskAborted", "TaskEvent.TaskCompletedWarning"], Oem: { Shoal: { Format: "Email" } } },
  });
  t.equal(reply.status, 201, reply.text);
  t.match(reply.json, { Protocol: "SMTP", Oem: { Shoal: { Format: "Email" } } });

  const job = await g.scheduler.createJob({ name: "night fan profile", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["good-1", "bad-1", "bad-2"] }] });
  const gotMail = new Promise<void>((resolve) => (arrived = resolve));
  const run = await g.scheduler.trigger(job.id);
  const final = await g.scheduler.waitForExecution(run.id);
  t.match(final, { state: "Completed", health: "Warning" });
  await gotMail;

  t.equal(mails.length, 1);
  const mail = mails[0]!;
  t.equal(mail.from, "shoal@gateway.test");
  t.same(mail.to, ["ops@example.org", "oncall@example.org"]);
  const body = mail.text.replace(/=\r?\n/g, "");
  t.match(body.replace(/\r?\n /g, " "), /Subject: \[Shoal\] Warning: The run '.+' completed, and some machines failed\./);
  t.match(body, /Job: night fan profile/);
  t.match(body, new RegExp(`Run: ${run.id}`));
  t.match(body, /bad-1 \(work\): HttpError: fan controller refused on bad-1/);
  t.match(body, /bad-2 \(work\): HttpError: fan controller refused on bad-2/);
  t.notMatch(body, /good-1 \(work\)/);
});
