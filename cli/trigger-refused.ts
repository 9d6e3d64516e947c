/**
 * A trigger refused because the job is still running (409 under overlap
 * Skip): say so, name the run in progress and how to follow it.
 */
import type { GatewayClient, GatewayError } from "./http.js";
import { redfishMessages } from "./redfish-error.js";
import { inCliWords, isGeneric } from "./resolutions.js";
import { runningExecutionId } from "./running-execution.js";

export async function alreadyRunningHints(client: GatewayClient, jobId: string, error: GatewayError): Promise<string[]> {
  const resolutions = redfishMessages(error.body).flatMap((m) => (m.resolution && !isGeneric(m.resolution) ? [inCliWords(m.resolution)] : []));
  const running = await runningExecutionId(client, jobId).catch(() => null);
  const follow = running
    ? `Execution ${running} is in progress; follow it with: shoal executions follow ${jobId} ${running}`
    : `Follow the run in progress with: shoal executions follow ${jobId}`;
  return [...resolutions, follow];
}
