/**
 * /redfish/v1/EventService/Subscriptions: create, list, read and delete
 * subscriptions, and suspend or resume one.
 */
import { requireBody } from "../http/json-body.js";
import type { GatewayContext } from "../http/state.js";
import { extendedInfo, RedfishError } from "../redfish/errors.js";
import { parsePage, renderCollection, pageSlice, wantsExpand } from "../redfish/render.js";
import type { GatewayRouter } from "../routes/router.js";
import type { SchemaSet } from "../validation/schemas.js";
import type { EventService } from "./event-service.js";
import { eventPaths } from "./paths.js";
import { subscriptionFromWire, subscriptionResource, type SubscriptionCreateBody } from "./subscription-resource.js";
import type { Subscription } from "./subscriptions.js";

export const SUBSCRIPTION_SCHEMA = "event-destination-create.json";

export function mountSubscriptionRoutes(router: GatewayRouter, { events, schemas }: { events: EventService; schemas: SchemaSet }): void {
  const member = `${eventPaths.subscriptions}/:id`;
  const { subscriptions, outbox } = events;
  const render = (sub: Subscription) => subscriptionResource(sub, outbox.pending(sub.id));
  const find = (ctx: GatewayContext): Subscription => {
    const id = String(ctx.params["id"] ?? "");
    const sub = subscriptions.get(id);
    if (!sub) throw RedfishError.resourceNotFound("EventDestination", id);
    return sub;
  };

  router.get(eventPaths.subscriptions, (ctx) => {
    const page = parsePage(ctx.query);
    const all = subscriptions.list();
    const items = pageSlice(all, page);
    ctx.body = renderCollection({
      odataId: eventPaths.subscriptions,
      odataType: "#EventDestinationCollection.EventDestinationCollection",
      name: "Event Subscriptions",
      memberIds: items.map((s) => eventPaths.subscription(s.id)),
      total: all.length,
      page,
      ...(wantsExpand(ctx.query) ? { expanded: items.map(render) } : {}),
    });
  });

  router.post(eventPaths.subscriptions, async (ctx) => {
    const body = schemas.check<SubscriptionCreateBody>(SUBSCRIPTION_SCHEMA, requireBody(ctx.state.body));
    const sub = await subscriptions.create(subscriptionFromWire(body, events.config.smtp));
    ctx.status = 201;
    ctx.set("Location", eventPaths.subscription(sub.id));
    ctx.body = render(sub);
  });

  router.get(member, (ctx) => {
    ctx.body = render(find(ctx));
  });

  router.delete(member, async (ctx) => {
    const sub = find(ctx);
    await subscriptions.remove(sub.id);
    await outbox.forget(sub.id);
    ctx.body = { Message: `Subscription '${sub.id}' was deleted.`, "@Message.ExtendedInfo": [extendedInfo({ key: "Success" })] };
  });

  router.post(`${member}/Actions/EventDestination.ResumeSubscription`, async (ctx) => {
    const sub = await subscriptions.update(find(ctx).id, { state: "Enabled" });
    if (sub) outbox.resume(sub.id);
    ctx.body = render(sub ?? find(ctx));
  });

  router.post(`${member}/Actions/EventDestination.SuspendSubscription`, async (ctx) => {
    const sub = await subscriptions.update(find(ctx).id, { state: "Disabled" });
    ctx.body = render(sub ?? find(ctx));
  });
}
