/**
 * A job's plan (dry run): the POST reads every machine once and the gateway
 * keeps the result, so further pages are read from the kept plan instead of
 * reading every BMC again.
 */
import { api } from "./client.js";
import { jobPath, type Plan } from "./types.js";

export const PLAN_PAGE = 50;

export function makePlan(jobId: string, top = PLAN_PAGE): Promise<Plan> {
  return api<Plan>("POST", `${jobPath(jobId)}/Actions/Plan?$top=${top}`, { body: {} });
}

/** Another page of a plan already made (its @odata.id), from member `skip`. */
export function planPage(plan: Plan, skip: number, top = PLAN_PAGE): Promise<Plan> {
  return api<Plan>("GET", `${plan["@odata.id"]}?$skip=${skip}&$top=${top}`);
}
