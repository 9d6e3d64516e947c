import t from "tap";
import { ShoalError, isShoalError, pointer } from "../src/errors.js";

t.test("pointer escapes ~ and / as RFC 6901 requires", async (t) => {
  t.equal(pointer("period", "daysOfMonth", 2), "/period/daysOfMonth/2");
  t.equal(pointer("a/b", "c~d"), "/a~1b/c~0d");
  t.equal(pointer(), "");
});

t.test("a validation error carries one detail per problem and a stable code", async (t) => {
  const e = ShoalError.validation([
    { path: "/time", message: "must be HH:MM" },
    { path: "/type", message: "is required" },
  ]);
  t.ok(isShoalError(e));
  t.ok(e instanceof Error);
  t.equal(e.code, "ValidationError");
  t.equal(e.details.length, 2);
  t.match(e.message, /2 problems/);
});
