/**
 * Why the gateway could not listen, in words that name the setting to change:
 * `PORT`/`HOST` for `npm start`, `--port`/`--host` for `shoal serve` (which
 * sets those variables). Start-up then exits 3, as the README's exit codes say.
 */

export const LISTEN_FAILURE_EXIT_CODE = 3;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The message for a failed listen, or undefined when the failure is not about the address. */
export function listenFailureMessage(error: unknown, where: { host: string; port: number }): string | undefined {
  const at = `${where.host}:${where.port}`;
  switch (codeOf(error)) {
    case "EADDRINUSE":
      return `cannot listen on ${at}: port ${where.port} is already in use. Set PORT (shoal serve: --port) to a free port, or stop what holds it.`;
    case "EACCES":
      return `cannot listen on ${at}: not allowed to use port ${where.port} (ports below 1024 need privileges). Set PORT (shoal serve: --port) to another port.`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot listen on ${at}: ${where.host} is not an address of this machine. Set HOST (shoal serve: --host) to one of its addresses.`;
    default:
      return undefined;
  }
}
