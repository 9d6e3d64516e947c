import t from "tap";
import { withoutCredentials } from "../../gateway/results/result-writer.js";
import { isSecretName } from "../../gateway/secret-names.js";
import { defaultIsSecret } from "../../gateway/redfish/property-problem.js";

const SECRETS = ["Password", "passwd", "Token", "X-Auth-Token", "Authorization", "Credentials", "secret"];

t.test("validation errors and result files hide the same credential names", async (t) => {
  for (const name of SECRETS) {
    t.ok(isSecretName(name), `${name} is a credential`);
    t.ok(defaultIsSecret(`#/Steps/0/Payload/${name}`), `${name}: not echoed in a validation error`);
    t.same(withoutCredentials({ [name]: "x", Keep: 1 }), { Keep: 1 }, `${name}: not written to a result file`);
  }
  t.notOk(defaultIsSecret("#/PasswordPolicy"), "a name that only contains a secret word is not hidden");
  t.notOk(isSecretName("Username"));
});
