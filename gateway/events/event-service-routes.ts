/**
 * /redfish/v1/EventService: the service resource, its Server-Sent Event
 * stream and the SubmitTestEvent action.
 */
import { requireBody } from "../http/json-body.js";
import { link } from "../redfish/render.js";
import type { GatewayRouter } from "../routes/router.js";
import type { SchemaSet } from "../validation/schemas.js";
import { parseSseFilter } from "./event-filter.js";
import { REGISTRY_PREFIXES } from "./event-record.js";
import type { EventService } from "./event-service.js";
import { eventPaths } from "./paths.js";

export const EVENT_SCHEMAS = {
  submitTestEvent: "event-submit-test.json",
} as const;

export interface EventRoutesDeps {
  events: EventService;
  schemas: SchemaSet;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function mountEventServiceRoutes(router: GatewayRouter, { events, schemas }: EventRoutesDeps): void {
  router.get(eventPaths.service, (ctx) => {
    ctx.body = {
      "@odata.type": "#EventService.v1_10_0.EventService",
      "@odata.id": eventPaths.service,
      Id: "EventService",
      Name: "Event Service",
      ServiceEnabled: true,
      Status: { State: "Enabled", Health: "OK" },
      DeliveryRetryAttempts: events.config.deliveryRetryAttempts,
      DeliveryRetryIntervalSeconds: events.config.deliveryRetryIntervalSeconds,
      EventFormatTypes: ["Event"],
      RegistryPrefixes: REGISTRY_PREFIXES,
      ResourceTypes: ["Job", "JobExecution", "EventService"],
      ServerSentEventUri: eventPaths.sse,
      SSEFilterPropertiesSupported: {
        EventFormatType: true,
        EventType: true,
        MessageId: true,
        MetricReportDefinition: false,
        OriginResource: true,
        RegistryPrefix: true,
        ResourceType: true,
        SubordinateResources: true,
      },
      Subscriptions: link(eventPaths.subscriptions),
      Actions: {
        "#EventService.SubmitTestEvent": { target: eventPaths.submitTestEvent },
      },
    };
  });

  router.get(eventPaths.sse, (ctx) => {
    const filter = firstValue(ctx.query["$filter"]);
    const accepts = parseSseFilter(filter);
    const lastEventId = ctx.get("Last-Event-ID") || undefined;
    ctx.status = 200;
    ctx.respond = false;
    // A client hanging up (ECONNRESET) is how a stream normally ends, not an error to log.
    ctx.onerror = () => undefined;
    events.streams.open(ctx.res, accepts, lastEventId, filter?.includes("MachineLog") ?? false);
  });

  router.post(eventPaths.submitTestEvent, (ctx) => {
    const body = schemas.check<{ Message?: string; OriginOfCondition?: string }>(
      EVENT_SCHEMAS.submitTestEvent,
      ctx.state.body === undefined ? {} : requireBody(ctx.state.body),
    );
    events.hub.publish({
      key: "TestEvent",
      args: [],
      origin: body.OriginOfCondition ?? eventPaths.service,
      resourceType: "EventService",
      ...(body.Message !== undefined ? { message: body.Message } : {}),
    });
    ctx.status = 204;
  });
}
