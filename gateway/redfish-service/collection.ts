/**
 * A collection of the standard service held in memory, paged with
 * `$top`/`$skip` as the MultiFish collections are (gateway/redfish/render.ts).
 */
import type { GatewayContext } from "../http/state.js";
import { pageSlice, parsePage, renderCollection } from "../redfish/render.js";

export interface MembersInput {
  odataId: string;
  odataType: string;
  name: string;
  memberIds: readonly string[];
}

export function renderMembers(ctx: GatewayContext, input: MembersInput): Record<string, unknown> {
  const page = parsePage(ctx.query);
  return renderCollection({ ...input, memberIds: pageSlice(input.memberIds, page), total: input.memberIds.length, page });
}
