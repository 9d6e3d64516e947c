import t from "tap";
t.test("a subtest with a failing assertion", async (t) => {
  t.equal(1, 2, "one is not two");
});
