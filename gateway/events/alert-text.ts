/**
 * Events in words for people: the Slack message and the e-mail. Both name
 * the job, the run, its state and health, and the failed machines with
 * their errors.
 */
import type { ShoalEvent } from "./event-record.js";

const LISTED = 20;

export function subjectOf(event: ShoalEvent): string {
  return `[Shoal] ${event.severity}: ${event.message}`;
}

/** Lines of plain text, each "Label: value". */
export function detailLines(event: ShoalEvent): string[] {
  const d = event.detail;
  const lines: string[] = [];
  if (d.jobId !== undefined) lines.push(`Job: ${d.jobName ? `${d.jobName} (${d.jobId})` : d.jobId}`);
  if (d.executionId !== undefined) lines.push(`Run: ${d.executionId}`);
  if (d.state !== undefined) lines.push(`State: ${d.state}${d.health ? `, health ${d.health}` : ""}`);
  lines.push(`Event: ${event.messageId} at ${event.timestamp} (id ${event.id})`);
  lines.push(`Resource: ${event.origin}`);
  return lines;
}

export function failedLines(event: ShoalEvent): string[] {
  const failed = event.detail.failedMachines ?? [];
  if (failed.length === 0) return [];
  const total = event.detail.failedCount ?? failed.length;
  const lines = failed.slice(0, LISTED).map((m) => `${m.machineId} (${m.action}): ${m.errorType}: ${m.message}`);
  if (total > lines.length) lines.push(`... and ${total - lines.length} more`);
  return lines;
}

export function plainText(event: ShoalEvent): string {
  const failed = failedLines(event);
  return [event.message, "", ...detailLines(event), ...(failed.length > 0 ? ["", `Failed machines (${event.detail.failedCount ?? failed.length}):`, ...failed.map((l) => `  ${l}`)] : [])].join("\n");
}

/** A Slack incoming-webhook body: `text` for notifications, `blocks` for the message itself. */
export function slackBody(event: ShoalEvent): Record<string, unknown> {
  const failed = failedLines(event);
  const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: `*${escape(event.severity)}*: ${escape(event.message)}` } },
    { type: "section", text: { type: "mrkdwn", text: detailLines(event).map(escape).join("\n") } },
  ];
  if (failed.length > 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*Failed machines*\n${failed.map((l) => `• ${escape(l)}`).join("\n")}` } });
  }
  return { text: `${event.severity}: ${event.message}`, blocks };
}
