import t from "tap";
t.test("two assertions in a subtest", async (t) => {
  t.ok(true);
  t.equal(1, 1);
});
t.pass("and one at the top");
