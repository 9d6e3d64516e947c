/** A wall-clock time of day, parsed from "HH:MM" or "HH:MM:SS" (24-hour, two digits each). */
export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

export function parseTimeOfDay(text: string): TimeOfDay | undefined {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return undefined;
  return { hour: Number(m[1]), minute: Number(m[2]), second: m[3] === undefined ? 0 : Number(m[3]) };
}

/** "22:00" when the seconds are zero, "22:00:30" otherwise: what an operator wrote, minus noise. */
export function formatTimeOfDay(t: TimeOfDay): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const hm = `${two(t.hour)}:${two(t.minute)}`;
  return t.second === 0 ? hm : `${hm}:${two(t.second)}`;
}

export function secondsOfDay(t: TimeOfDay): number {
  return t.hour * 3600 + t.minute * 60 + t.second;
}
