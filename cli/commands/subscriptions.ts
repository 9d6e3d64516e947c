/**
 * `shoal subscriptions ...`: the EventService's subscriptions (webhooks,
 * Slack, e-mail). Secrets go in through stdin, never the command line, and
 * never come out.
 */
import type { Command, CommandGroup, Context } from "../command.js";
import { ExitCode, usageError } from "../exit-codes.js";
import { segment } from "../http.js";
import { readSecret } from "../input.js";
import { isObject, num, obj, str, type Resource } from "../resources.js";

const SERVICE = "/redfish/v1/EventService";
const SUBSCRIPTIONS = `${SERVICE}/Subscriptions`;
const FORMATS = ["Redfish", "Slack", "Email"];
const POLICIES = ["SuspendRetries", "TerminateAfterRetries", "RetryForever", "RetryForeverWithBackoff"];
const ID = [{ name: "SUBSCRIPTION_ID" }];

/** The event service lives beside the MultiFish API, not under it: an absolute URL keeps the gateway's path prefix. */
function url(ctx: Context, path: string): string {
  const base = ctx.client().base;
  return `${base.origin}${base.pathname.replace(/\/+$/, "")}${path}`;
}

function many(value: string | boolean | (string | boolean)[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
}

function shoalOem(sub: Resource): Resource {
  return obj(obj(sub, "Oem") ?? {}, "Shoal") ?? {};
}

const listSubscriptions: Command = {
  name: "list",
  summary: "List event subscriptions",
  usage: "[--json]",
  async run(ctx) {
    const client = ctx.client();
    const collection = await client.get(url(ctx, `${SUBSCRIPTIONS}?$expand=.`));
    const members = (Array.isArray(collection.Members) ? collection.Members : []).filter(isObject);
    if (ctx.settings.json) {
      ctx.out.printJson(members);
      return ExitCode.Ok;
    }
    if (members.length === 0) {
      ctx.out.print("No subscriptions.");
      return ExitCode.Ok;
    }
    ctx.out.table(
      ["id", "state", "format", "destination", "pending", "last error"],
      members.map((s) => [
        str(s, "Id") ?? "",
        str(obj(s, "Status") ?? {}, "State") ?? "",
        str(shoalOem(s), "Format") ?? "",
        str(s, "Destination") ?? "",
        String(num(shoalOem(s), "PendingEvents") ?? ""),
        str(shoalOem(s), "LastError") ?? "",
      ]),
    );
    return ExitCode.Ok;
  },
};

const addSubscription: Command = {
  name: "add",
  summary: "Subscribe a webhook, a Slack incoming webhook or e-mail addresses to events",
  usage: "--destination URL [--format Redfish|Slack|Email] [--job JOB_ID]... [--message-id ID]... [--registry PREFIX]... [--context TEXT] [--header 'Name: value']... [--secret-stdin] [--retry-policy POLICY]",
  details:
    "Without filters a subscription gets every job and run event. The signing secret (HMAC-SHA256 of\n" +
    "'<event id>.<body>', sent as X-Shoal-Signature) is read from stdin, never from the command line.",
  options: {
    destination: { type: "string", value: "URL", description: "http(s) URL to POST to, or mailto:a@x.org,b@y.org for --format Email" },
    format: { type: "string", value: "FORMAT", description: "Redfish (an Event resource; default), Slack ({text, blocks}) or Email" },
    job: { type: "string", multiple: true, value: "JOB_ID", description: "only this job's events (and its runs'); repeatable" },
    "message-id": { type: "string", multiple: true, value: "ID", description: "only these messages, e.g. TaskEvent.TaskAborted; repeatable" },
    registry: { type: "string", multiple: true, value: "PREFIX", description: "only these registries: ResourceEvent, TaskEvent, Shoal; repeatable" },
    context: { type: "string", value: "TEXT", description: "a string sent back in every event (Context)" },
    header: { type: "string", multiple: true, value: "'Name: value'", description: "an HTTP header sent with every delivery; repeatable" },
    "secret-stdin": { type: "boolean", description: "read the signing secret (16 characters or more) from the first line of stdin" },
    "retry-policy": { type: "string", value: "POLICY", description: `after repeated failures: ${POLICIES.join(", ")} (default SuspendRetries)` },
  },
  examples: [
    "shoal subscriptions add --destination https://hooks.slack.com/services/T/B/X --format Slack --message-id TaskEvent.TaskAborted",
    "printf %s \"$HOOK_SECRET\" | shoal subscriptions add --destination https://ops.example.org/shoal --secret-stdin",
  ],
  async run(ctx, args) {
    const body: Resource = { Destination: args.required("destination") };
    const shoal: Resource = {};
    const format = args.string("format");
    if (format !== undefined) {
      if (!FORMATS.includes(format)) throw usageError(`--format must be one of ${FORMATS.join(", ")}, not "${format}"`);
      shoal.Format = format;
    }
    const jobs = many(args.values.job);
    if (jobs.length > 0) body.OriginResources = jobs.map((id) => ({ "@odata.id": `/MultiFish/v1/JobService/Jobs/${segment(id)}` }));
    const messageIds = many(args.values["message-id"]);
    if (messageIds.length > 0) body.MessageIds = messageIds;
    const registries = many(args.values.registry);
    if (registries.length > 0) body.RegistryPrefixes = registries;
    const context = args.string("context");
    if (context !== undefined) body.Context = context;
    const headers: Record<string, string> = {};
    for (const h of many(args.values.header)) {
      const colon = h.indexOf(":");
      if (colon <= 0) throw usageError(`--header must be 'Name: value', not "${h}"`);
      headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
    }
    if (Object.keys(headers).length > 0) body.HttpHeaders = [headers];
    const policy = args.string("retry-policy");
    if (policy !== undefined) {
      if (!POLICIES.includes(policy)) throw usageError(`--retry-policy must be one of ${POLICIES.join(", ")}, not "${policy}"`);
      body.DeliveryRetryPolicy = policy;
    }
    if (args.flag("secret-stdin")) shoal.SigningSecret = await readSecret(ctx.io.stdin, "--secret-stdin");
    if (Object.keys(shoal).length > 0) body.Oem = { Shoal: shoal };
    const response = await ctx.client().post(url(ctx, SUBSCRIPTIONS), body);
    const sub = isObject(response.body) ? response.body : {};
    if (ctx.settings.json) ctx.out.printJson(sub);
    else ctx.out.print(`Subscribed ${str(sub, "Id") ?? "?"} (${str(shoalOem(sub), "Format") ?? "Redfish"} to ${str(sub, "Destination") ?? ""})`);
    return ExitCode.Ok;
  },
};

const removeSubscription: Command = {
  name: "remove",
  summary: "Delete a subscription (and the events still queued for it)",
  usage: "SUBSCRIPTION_ID",
  args: ID,
  async run(ctx, args) {
    const id = args.arg(0);
    await ctx.client().delete(url(ctx, `${SUBSCRIPTIONS}/${segment(id)}`));
    if (ctx.settings.json) ctx.out.printJson({ Id: id, Deleted: true });
    else ctx.out.print(`Removed subscription ${id}`);
    return ExitCode.Ok;
  },
};

const resumeSubscription: Command = {
  name: "resume",
  summary: "Resume a suspended subscription: its queued events go out, oldest first",
  usage: "SUBSCRIPTION_ID",
  args: ID,
  async run(ctx, args) {
    const id = args.arg(0);
    const response = await ctx.client().post(url(ctx, `${SUBSCRIPTIONS}/${segment(id)}/Actions/EventDestination.ResumeSubscription`), {});
    const sub = isObject(response.body) ? response.body : {};
    if (ctx.settings.json) ctx.out.printJson(sub);
    else ctx.out.print(`Resumed subscription ${id} (${String(num(shoalOem(sub), "PendingEvents") ?? 0)} events queued)`);
    return ExitCode.Ok;
  },
};

const testEvent: Command = {
  name: "test",
  summary: "Send a test event to every subscription (and the event stream)",
  usage: "[--message TEXT]",
  options: { message: { type: "string", value: "TEXT", description: "the test event's Message" } },
  async run(ctx, args) {
    const message = args.string("message");
    await ctx.client().post(url(ctx, `${SERVICE}/Actions/EventService.SubmitTestEvent`), message === undefined ? {} : { Message: message });
    if (ctx.settings.json) ctx.out.printJson({ Sent: true });
    else ctx.out.print("Test event sent.");
    return ExitCode.Ok;
  },
};

export const subscriptionsGroup: CommandGroup = {
  name: "subscriptions",
  summary: "Event subscriptions: webhooks, Slack and e-mail alerts",
  commands: [listSubscriptions, addSubscription, removeSubscription, resumeSubscription, testEvent],
};
