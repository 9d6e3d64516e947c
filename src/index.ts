export { ShoalError, isShoalError } from "./errors.js";
export type { ErrorCode, ErrorDetail, ProblemKind } from "./errors.js";
export * from "./schedule/index.js";
export * from "./scheduler/index.js";
export type * from "./jobs/types.js";
export type * from "./executions/types.js";
export type * from "./store/store.js";
export { DEFAULT_RETENTION } from "./store/store.js";
