/**
 * Keeps the latest of each short-lived object a run is made of alive, so
 * that V8's optimized code for the run path survives a full garbage collection.
 *
 * V8 gives each object layout a hidden class (a "map"). A class's instances
 * reach their final map by transitions from the constructor's initial map, and
 * V8 holds transitions weakly. Once every run of a burst has ended, nothing
 * holds the maps of runs, runners and tries; the next full collection frees
 * them and discards every optimized function that was specialised to them, so
 * the next thousand runs go through the interpreter while V8 compiles the same
 * code again. Measured on 1 000-run bursts, each after a full collection: 67-72
 * us of CPU per run, 30-34 with these objects kept (20-33 with no collection).
 *
 * What is kept is one run (its runner and record) and one try, which the next
 * run or try replaces: memory the size of one run.
 */
const latest: { run: object | null; attempt: object | null } = { run: null, attempt: null };

/** Keeps `instance` (and so its class's maps) alive until the next of its kind. */
export function keepShape(kind: "run" | "attempt", instance: object): void {
  latest[kind] = instance;
}
