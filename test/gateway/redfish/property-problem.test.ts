import t from "tap";
import { ShoalError } from "../../../src/errors.js";
import { formatArg, propertyProblem } from "../../../gateway/redfish/property-problem.js";
import { fromShoalError } from "../../../gateway/redfish/shoal-to-redfish.js";

t.test("message arguments spell values as Redfish asks", async (t) => {
  t.equal(formatArg(null), "null");
  t.equal(formatArg(12.5), "12.5");
  t.equal(formatArg(false), "false");
  t.equal(formatArg({ a: [1] }), '{"a":[1]}');
  t.equal(formatArg("x".repeat(500)).length, 203, "long values are cut");
});

t.test("a credential's value is hidden whichever way its problem came: a schema error or a core validation detail", async (t) => {
  const pointer = "#/Steps/0/Payload/Password";
  const fromCore = fromShoalError(
    ShoalError.validation([{ path: "/steps/0/payload/password", kind: "type", message: "must be a string", value: "hunter2" }], "job"),
    { translate: () => pointer },
  );
  t.same(fromCore?.problems[0]?.args, ["******", "Steps/0/Payload/Password"]);
  t.same(propertyProblem({ key: "PropertyValueTypeError", pointer, value: "hunter2" }).args, ["******", "Steps/0/Payload/Password"]);
  t.same(propertyProblem({ key: "PropertyValueTypeError", pointer: "#/Name", value: 7 }).args, ["7", "Name"], "other values are echoed");
});
