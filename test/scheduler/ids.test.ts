import t from "tap";
import { ID_PATTERN, IdGenerator } from "../../src/scheduler/ids.js";

t.test("ids carry their own prefix and time, and sort by creation even within one millisecond", async (t) => {
  let now = Date.UTC(2026, 0, 1);
  const ids = new IdGenerator(() => now);
  const made = [ids.next("Exec"), ids.next("Job"), ids.next("Exec")];
  now += 1;
  made.push(ids.next("Exec"));
  t.match(made[0], /^Exec-/);
  t.match(made[1], /^Job-/, "a different prefix in the same millisecond gets its own");
  t.match(made[2], /^Exec-/);
  const time = (id: string): string => id.split("-")[1]!;
  t.equal(time(made[0]!), Date.UTC(2026, 0, 1).toString(36).padStart(9, "0"), "the creation time in base 36");
  t.not(time(made[3]!), time(made[0]!), "the next millisecond shows in the id");
  const execs = [made[0]!, made[2]!, made[3]!];
  t.same([...execs].sort(), execs, "in creation order as plain strings");
  for (const id of made) t.match(id, ID_PATTERN);
});
