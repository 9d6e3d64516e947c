import { ShoalError } from "../errors.js";

/** A store failure as the ShoalError a caller gets (a ShoalError the store threw passes through). */
export function storeError(error: unknown): ShoalError {
  if (error instanceof ShoalError) return error;
  return new ShoalError("StoreError", `The store failed: ${error instanceof Error ? error.message : String(error)}`);
}
