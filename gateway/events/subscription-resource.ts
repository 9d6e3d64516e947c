/**
 * Subscriptions on the wire: a create body -> registry input, a subscription
 * -> the EventDestination resource. HttpHeaders and the signing secret go in
 * and never come out (null, as Redfish says for HttpHeaders).
 */
import type { SmtpConfig } from "../config.js";
import { RedfishError, type Problem } from "../redfish/errors.js";
import { link } from "../redfish/render.js";
import { eventPaths } from "./paths.js";
import type { DeliveryFormat, RetryPolicy, Subscription, SubscriptionInput } from "./subscriptions.js";

export interface SubscriptionCreateBody {
  Destination: string;
  Name?: string;
  Context?: string;
  Protocol?: "Redfish" | "SMTP";
  SubscriptionType?: "RedfishEvent";
  EventFormatType?: "Event";
  RegistryPrefixes?: string[];
  MessageIds?: string[];
  OriginResources?: { "@odata.id": string }[];
  ResourceTypes?: string[];
  SubordinateResources?: boolean;
  HttpHeaders?: Record<string, string>[];
  DeliveryRetryPolicy?: RetryPolicy;
  Oem?: { Shoal?: { Format?: DeliveryFormat; SigningSecret?: string } };
}

/** Headers the delivery sets itself; a subscription may not replace them. */
const RESERVED_HEADERS = /^(content-type|content-length|host|connection|transfer-encoding|x-shoal-.*)$/i;

export function subscriptionFromWire(body: SubscriptionCreateBody, smtp: SmtpConfig | null): SubscriptionInput {
  const format: DeliveryFormat = body.Oem?.Shoal?.Format ?? (body.Protocol === "SMTP" ? "Email" : "Redfish");
  const mail = /^mailto:/i.test(body.Destination);
  const problems: Problem[] = [];
  if (mail !== (format === "Email")) {
    problems.push({
      key: "PropertyValueConflict",
      args: ["Destination", "Oem/Shoal/Format"],
      relatedProperties: ["#/Destination"],
      resolution: "E-mail subscriptions take a mailto: Destination; Redfish and Slack ones an http or https URL.",
    });
  }
  if (body.Protocol !== undefined && (body.Protocol === "SMTP") !== (format === "Email")) {
    problems.push({ key: "PropertyValueConflict", args: ["Protocol", "Oem/Shoal/Format"], relatedProperties: ["#/Protocol"] });
  }
  if (format === "Email" && smtp === null) {
    problems.push({
      key: "GeneralError",
      message: "E-mail subscriptions need an SMTP relay, and the gateway has none configured.",
      resolution: "Set SMTP_HOST (and SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD as needed) where the gateway starts, restart it and resubmit the request.",
      relatedProperties: ["#/Oem/Shoal/Format"],
    });
  }
  const headers: Record<string, string> = {};
  (body.HttpHeaders ?? []).forEach((group, i) => {
    for (const [name, value] of Object.entries(group)) {
      if (RESERVED_HEADERS.test(name) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        problems.push({ key: "PropertyValueError", args: [`HttpHeaders/${i}/${name}`], relatedProperties: [`#/HttpHeaders/${i}`], resolution: `Remove the header '${name}': it is not a header a subscription may set.` });
      } else headers[name] = value;
    }
  });
  if (problems.length > 0) throw RedfishError.badRequest(problems);
  return {
    name: body.Name ?? "Event subscription",
    destination: body.Destination,
    context: body.Context ?? null,
    format,
    registryPrefixes: body.RegistryPrefixes ?? [],
    messageIds: body.MessageIds ?? [],
    originResources: (body.OriginResources ?? []).map((o) => o["@odata.id"]),
    resourceTypes: body.ResourceTypes ?? [],
    subordinateResources: body.SubordinateResources ?? true,
    httpHeaders: headers,
    signingSecret: body.Oem?.Shoal?.SigningSecret ?? null,
    retryPolicy: body.DeliveryRetryPolicy ?? "SuspendRetries",
  };
}

const HEALTH: Readonly<Record<Subscription["state"], string>> = { Enabled: "OK", Disabled: "OK", StandbyOffline: "Critical" };

export function subscriptionResource(sub: Subscription, pendingEvents: number): Record<string, unknown> {
  return {
    "@odata.type": "#EventDestination.v1_14_0.EventDestination",
    "@odata.id": eventPaths.subscription(sub.id),
    Id: sub.id,
    Name: sub.name,
    Destination: sub.destination,
    Context: sub.context,
    Protocol: sub.format === "Email" ? "SMTP" : "Redfish",
    SubscriptionType: "RedfishEvent",
    EventFormatType: "Event",
    RegistryPrefixes: sub.registryPrefixes,
    MessageIds: sub.messageIds,
    OriginResources: sub.originResources.map(link),
    ResourceTypes: sub.resourceTypes,
    SubordinateResources: sub.subordinateResources,
    HttpHeaders: null,
    DeliveryRetryPolicy: sub.retryPolicy,
    Status: { State: sub.state, Health: sub.lastError !== null && sub.state === "Enabled" ? "Warning" : HEALTH[sub.state] },
    Oem: {
      Shoal: {
        Format: sub.format,
        SigningSecret: null,
        SigningSecretSet: sub.signingSecret !== null,
        PendingEvents: pendingEvents,
        LastError: sub.lastError,
        CreatedTime: sub.createdAt,
      },
    },
    Actions: {
      "#EventDestination.ResumeSubscription": { target: eventPaths.resume(sub.id) },
      "#EventDestination.SuspendSubscription": { target: eventPaths.suspend(sub.id) },
    },
  };
}
