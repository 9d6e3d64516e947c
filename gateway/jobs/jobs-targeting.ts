import type { Job } from "../../src/jobs/types.js";

/** The jobs with the machine among a step's targets, as "'name' (id)", for messages that must name them. */
export function jobsTargeting(jobs: Iterable<Job>, machineId: string): string[] {
  const found: string[] = [];
  for (const job of jobs) {
    if (job.steps.some((step) => step.targets.includes(machineId))) found.push(`'${job.name}' (${job.id})`);
  }
  return found;
}
