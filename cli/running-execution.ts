/** The newest execution of a job, and the one in progress if any: for `executions follow` and a refused trigger. */
import type { GatewayClient } from "./http.js";
import { isFinalState } from "./execution-view.js";
import { paths, str, type Resource } from "./resources.js";

/** Executions are listed newest first; a run in progress is among the newest few. */
const LOOK_AT = 5;

export async function newestExecutions(client: GatewayClient, jobId: string, limit = LOOK_AT): Promise<Resource[]> {
  return client.members(paths.executions(jobId), { limit });
}

/** The id of a run of the job still going, or null. */
export async function runningExecutionId(client: GatewayClient, jobId: string): Promise<string | null> {
  const running = (await newestExecutions(client, jobId)).find((e) => !isFinalState(e));
  return running ? str(running, "Id") : null;
}
