/**
 * A failed write to a state file as the error its caller reports: a full disk
 * (or quota) is InsufficientStorage, which a front end answers differently
 * (507: free space and resubmit) from a store that is broken.
 */
import { ShoalError } from "../errors.js";

const NO_SPACE = new Set(["ENOSPC", "EDQUOT"]);

export function isNoSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && NO_SPACE.has(code);
}

export function storeWriteError(file: string, error: unknown): ShoalError {
  const reason = error instanceof Error ? error.message : String(error);
  if (isNoSpace(error)) {
    return new ShoalError(
      "InsufficientStorage",
      `The disk holding ${file} is full; the change was not saved and nothing of it was kept (${reason}). ` +
        `Writes resume by themselves once space is freed.`,
    );
  }
  return new ShoalError("StoreError", `Cannot write state file ${file}: ${reason}`);
}
