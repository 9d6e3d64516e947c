/**
 * The property names whose values are credentials. One list for every path a
 * value can take (a validation error echoing the request, a result file
 * keeping a BMC's answer), so what is hidden never depends on the path.
 */
const SECRET_NAME = /^(password|passwd|pass|secret|token|x-auth-token|authorization|credentials?)$/i;

/** True when a property called `name` holds a credential (any case). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
