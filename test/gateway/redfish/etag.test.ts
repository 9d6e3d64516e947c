import t from "tap";
import { RedfishError } from "../../../gateway/redfish/errors.js";
import { assertIfMatch, etagOfContent, etagOfVersion, ifMatchSatisfied } from "../../../gateway/redfish/etag.js";

t.test("the same content gives the same tag; any change gives another", async (t) => {
  const a = etagOfContent({ Id: "m1", Name: "one" });
  t.equal(a, etagOfContent({ Id: "m1", Name: "one" }));
  t.not(a, etagOfContent({ Id: "m1", Name: "two" }));
  t.match(a, /^W\/"[A-Za-z0-9_-]+"$/, "weak by default");
  t.match(etagOfContent({ Id: "m1" }, { weak: false }), /^"[A-Za-z0-9_-]+"$/);
  t.not(etagOfVersion(1), etagOfVersion(2));
});

t.test("If-Match: absent or * passes, the current tag passes weak or strong, anything else fails", async (t) => {
  const current = etagOfVersion(7);
  const opaque = current.replace(/^W\//, "");
  t.ok(ifMatchSatisfied(undefined, current));
  t.ok(ifMatchSatisfied("*", current));
  t.ok(ifMatchSatisfied(current, current));
  t.ok(ifMatchSatisfied(opaque, current), "a client that drops W/ still matches");
  t.ok(ifMatchSatisfied(`"other", ${current}`, current), "one of a list");
  t.notOk(ifMatchSatisfied(etagOfVersion(6), current));
  t.notOk(ifMatchSatisfied("garbage", current), "an unquoted value never matches");
});

t.test("a mismatch is a 412 PreconditionFailed", async (t) => {
  try {
    assertIfMatch('W/"stale"', etagOfVersion(1));
    t.fail("accepted");
  } catch (e) {
    t.ok(e instanceof RedfishError);
    t.equal((e as RedfishError).status, 412);
    t.equal((e as RedfishError).problems[0]?.key, "PreconditionFailed");
  }
  t.doesNotThrow(() => assertIfMatch(undefined, etagOfVersion(1)));
});
