export type * from "./types.js";
export { WEEKDAYS, SCHEDULE_TYPES } from "./types.js";
export { validateSchedule } from "./validate.js";
export type { ValidateScheduleOptions } from "./validate.js";
export { nextRuns, nextRun } from "./next-runs.js";
export type { NextRunsOptions } from "./next-runs.js";
export { describeSchedule } from "./describe.js";
export type { DescribeOptions } from "./describe.js";
export { isValidZone, hostZone } from "./zone.js";
