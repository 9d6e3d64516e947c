/**
 * The gateway's Resolution texts speak HTTP (query strings, PATCH paths,
 * headers, "resubmit the request"); a person at the CLI needs its flags and
 * commands. Rewrites the phrases the gateway uses; the rest passes as it is.
 */

const REWRITES: [RegExp, string][] = [
  [/delete it with \?force=true/g, "remove it with --force"],
  [/\?force=true/g, "--force"],
  [/\(PATCH \/MultiFish\/v1\/Platform\/([^\s)]+)\)/g, "(printf %s \"$BMC_PASSWORD\" | shoal machines edit $1 --bmc-user USER --password-stdin)"],
  [/with valid credentials in the Authorization header/g, "with valid credentials: --user USER and env SHOAL_PASSWORD, or --token TOKEN (env SHOAL_TOKEN)"],
  [/[Rr]esubmit the request( if the operation failed)?/g, "run the command again"],
  [/\bresubmit it\b/g, "run the command again"],
];

/** Resolutions that only say "fix it and retry": the message already says what to fix. */
const GENERIC = [/^Correct the (request|value for the property)\b/i, /^Provide the identifier of an existing resource\b/i, /^Resubmit the request\.?$/i, /^None\.?$/i];

export function isGeneric(resolution: string): boolean {
  return GENERIC.some((pattern) => pattern.test(resolution.trim()));
}

export function inCliWords(resolution: string): string {
  let text = resolution;
  for (const [pattern, replacement] of REWRITES) text = text.replace(pattern, replacement);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why the gateway wants credentials, and which of ours to give. */
export function authHint(credentialsGiven: boolean): string {
  return credentialsGiven
    ? "The gateway refused the credentials given: check --user (env SHOAL_USER) and env SHOAL_PASSWORD, or --token (env SHOAL_TOKEN)."
    : "This gateway wants credentials: --user USER with the password in env SHOAL_PASSWORD (basic auth), or --token TOKEN (env SHOAL_TOKEN).";
}
