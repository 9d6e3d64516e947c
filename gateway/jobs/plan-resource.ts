/**
 * A job's plan (dry run) as a resource: per machine outcome and changes,
 * counts per outcome, members paged with $top/$skip. A plan is kept for a
 * while after it is made (a few, in memory) so that its later pages are read
 * from the same plan instead of reading every BMC again.
 */
import { countOutcomes, type JobPlan, type TargetPlan } from "../../src/scheduler/plan.js";
import { paths } from "../redfish/paths.js";
import { rfc3339, type Page } from "../redfish/render.js";

const KEEP = 16;
const KEEP_MS = 10 * 60_000;

export const planPath = (jobId: string, planId: string): string => `${paths.job(jobId)}/Plans/${encodeURIComponent(planId)}`;

/** The last few plans made, by id; older ones (or any past KEEP_MS) are forgotten. */
export class PlanCache {
  private readonly plans = new Map<string, { plan: JobPlan; at: number }>();
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  add(plan: JobPlan): string {
    const id = `Plan-${this.now().toString(36)}-${(++this.counter).toString(36)}`;
    this.plans.set(id, { plan, at: this.now() });
    for (const key of this.plans.keys()) {
      if (this.plans.size <= KEEP) break;
      this.plans.delete(key);
    }
    return id;
  }

  get(jobId: string, id: string): JobPlan | undefined {
    const kept = this.plans.get(id);
    if (!kept || kept.plan.jobId !== jobId) return undefined;
    if (this.now() - kept.at > KEEP_MS) {
      this.plans.delete(id);
      return undefined;
    }
    return kept.plan;
  }
}

function memberToWire(t: TargetPlan): Record<string, unknown> {
  return {
    MachineId: t.target,
    Step: t.step,
    Action: t.action,
    Outcome: t.outcome,
    Changes: t.changes.map((c) => ({ ...(c.scope !== undefined && { ManagerID: c.scope }), Property: c.property, Current: c.current ?? null, Desired: c.desired ?? null })),
    Message: t.message,
  };
}

export function planResource(plan: JobPlan, planId: string, page: Page): Record<string, unknown> {
  const odataId = planPath(plan.jobId, planId);
  const members = plan.targets.slice(page.offset, page.offset + page.limit);
  const body: Record<string, unknown> = {
    "@odata.type": "#JobPlan.v1_0_0.JobPlan",
    "@odata.id": odataId,
    Id: planId,
    Name: `Plan of job ${plan.jobId}`,
    JobId: plan.jobId,
    StartTime: rfc3339(plan.startedAt),
    EndTime: rfc3339(plan.endedAt),
    Counts: countOutcomes(plan.targets),
    Members: members.map(memberToWire),
    "Members@odata.count": plan.targets.length,
  };
  const next = page.offset + members.length;
  if (next < plan.targets.length) body["Members@odata.nextLink"] = `${odataId}?$skip=${next}${page.explicitTop ? `&$top=${page.limit}` : ""}`;
  return body;
}
