// Summaries the benches share. A module, not a bench: run.mjs skips it.

/** The middle value; with an even count, the mean of the two middle ones (taking either would lean one way). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
