/**
 * SessionService and Sessions, under /redfish/v1 and /MultiFish/v1 alike:
 * POST logs in (201, X-Auth-Token, Location), DELETE logs out. An account
 * sees and ends its own sessions; an Administrator sees and ends all.
 */
import type { GatewayContext } from "../http/state.js";
import { requireBody } from "../http/json-body.js";
import { RedfishError } from "../redfish/errors.js";
import { link } from "../redfish/render.js";
import type { GatewayRouter } from "../routes/router.js";
import type { SchemaSet } from "../validation/schemas.js";
import type { AccountStore } from "./accounts.js";
import { renderMembers } from "./collection.js";
import type { Session, SessionStore } from "./sessions.js";
import { odataType, SERVED } from "./types.js";

export const SESSION_SCHEMAS = { create: "session-create.json", servicePatch: "session-service-patch.json" } as const;

export interface SessionRoutesDeps {
  accounts: AccountStore;
  sessions: SessionStore;
  schemas: SchemaSet;
}

const ROOTS = ["/redfish/v1", "/MultiFish/v1"] as const;

const sessionPath = (root: string, id: string): string => `${root}/SessionService/Sessions/${encodeURIComponent(id)}`;

function sessionBody(root: string, session: Session): Record<string, unknown> {
  return {
    "@odata.type": odataType(SERVED.session),
    "@odata.id": sessionPath(root, session.id),
    Id: session.id,
    Name: `Session of ${session.userName}`,
    UserName: session.userName,
    Password: null,
    CreatedTime: session.createdTime,
    SessionType: "Redfish",
    Roles: [session.roleId],
  };
}

/** Whether the request may see or end this session: its own, or any for an Administrator. */
function mayTouch(ctx: GatewayContext, session: Session): boolean {
  return ctx.state.role === "Administrator" || ctx.state.principal === session.userName;
}

export function mountSessionRoutes(router: GatewayRouter, { accounts, sessions, schemas }: SessionRoutesDeps): void {
  for (const root of ROOTS) {
    const service = `${root}/SessionService`;
    const collection = `${service}/Sessions`;

    const serviceBody = (): Record<string, unknown> => ({
      "@odata.type": odataType(SERVED.sessionService),
      "@odata.id": service,
      Id: "SessionService",
      Name: "Session Service",
      Description: "Logins to the gateway; a session's token works on /redfish/v1 and /MultiFish/v1 alike.",
      ServiceEnabled: true,
      SessionTimeout: sessions.timeoutSeconds,
      Status: { State: "Enabled", Health: "OK" },
      Sessions: link(collection),
    });

    router.get(service, (ctx) => {
      ctx.body = serviceBody();
    });

    router.patch(service, (ctx) => {
      const body = schemas.check<{ SessionTimeout?: number }>(SESSION_SCHEMAS.servicePatch, requireBody(ctx.state.body));
      if (body.SessionTimeout !== undefined) sessions.timeoutSeconds = body.SessionTimeout;
      ctx.body = serviceBody();
    });

    router.get(collection, (ctx) => {
      const visible = sessions.list().filter((s) => mayTouch(ctx, s));
      ctx.body = renderMembers(ctx, {
        odataId: collection,
        odataType: odataType(SERVED.sessionCollection),
        name: "Session Collection",
        memberIds: visible.map((s) => sessionPath(root, s.id)),
      });
    });

    // DSP0266: a POST to a collection's Members is the same as one to the collection.
    router.post([collection, `${collection}/Members`], async (ctx) => {
      const body = schemas.check<{ UserName: string; Password: string }>(SESSION_SCHEMAS.create, requireBody(ctx.state.body));
      const account = await accounts.verify(body.UserName, body.Password);
      if (!account) {
        throw new RedfishError(401, [{ key: "InsufficientPrivilege", resolution: "Log in with the user name and password of an account of this service." }]);
      }
      const { session, token } = sessions.create(account, root);
      ctx.status = 201;
      ctx.set("X-Auth-Token", token);
      ctx.set("Location", sessionPath(root, session.id));
      ctx.body = sessionBody(root, session);
    });

    const found = (ctx: GatewayContext): Session => {
      const id = ctx.params.sessionId ?? "";
      const session = sessions.get(id);
      if (!session || !mayTouch(ctx, session)) throw RedfishError.resourceNotFound("Session", id);
      return session;
    };

    router.get(`${collection}/:sessionId`, (ctx) => {
      ctx.body = sessionBody(root, found(ctx));
    });

    router.delete(`${collection}/:sessionId`, (ctx) => {
      sessions.delete(found(ctx).id);
      ctx.status = 204;
    });
  }
}
