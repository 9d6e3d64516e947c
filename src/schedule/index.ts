export type * from "./types.js";
export { WEEKDAYS, SCHEDULE_TYPES } from "./types.js";
