import t from "tap";
import { RedfishError } from "../../../gateway/redfish/errors.js";
import { COLLECTION_CAP, pageSlice, parsePage, renderCollection, rfc3339 } from "../../../gateway/redfish/render.js";

const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `/MultiFish/v1/Platform/m${i}`);

function collection(total: number, query: Record<string, string>) {
  const page = parsePage(query);
  return renderCollection({
    odataId: "/MultiFish/v1/Platform",
    odataType: "#MachineCollection.MachineCollection",
    name: "Platform Machine Collection",
    memberIds: pageSlice(ids(total), page),
    total,
    page,
  });
}

t.test("without $top a collection returns every member and no next link", async (t) => {
  const body = collection(3, {});
  t.equal((body["Members"] as unknown[]).length, 3);
  t.equal(body["Members@odata.count"], 3);
  t.notOk("Members@odata.nextLink" in body);
  t.same((body["Members"] as unknown[])[0], { "@odata.id": "/MultiFish/v1/Platform/m0" });
});

t.test("$top and $skip page; count stays the total; a page that is not the last links the next", async (t) => {
  const first = collection(5, { $top: "2" });
  t.same((first["Members"] as { "@odata.id": string }[]).map((m) => m["@odata.id"]), ids(5).slice(0, 2));
  t.equal(first["Members@odata.count"], 5);
  t.equal(first["Members@odata.nextLink"], "/MultiFish/v1/Platform?$skip=2&$top=2");
  const last = collection(5, { $top: "2", $skip: "4" });
  t.equal((last["Members"] as unknown[]).length, 1);
  t.notOk("Members@odata.nextLink" in last);
  const beyond = collection(5, { $skip: "9" });
  t.same(beyond["Members"], []);
  t.equal(beyond["Members@odata.count"], 5);
});

t.test("the server cap pages a large collection even when the client did not ask", async (t) => {
  const body = collection(COLLECTION_CAP + 5, {});
  t.equal((body["Members"] as unknown[]).length, COLLECTION_CAP);
  t.equal(body["Members@odata.nextLink"], `/MultiFish/v1/Platform?$skip=${COLLECTION_CAP}`);
  t.equal(parsePage({ $top: "50000" }).limit, COLLECTION_CAP);
});

t.test("bad paging values are a 400 naming the query parameter", async (t) => {
  const cases: [Record<string, string | string[]>, string, string][] = [
    [{ $top: "ten" }, "QueryParameterValueTypeError", "$top"],
    [{ $skip: "1.5" }, "QueryParameterValueTypeError", "$skip"],
    [{ $top: "-1" }, "QueryParameterOutOfRange", "$top"],
    [{ $top: "99999999999999999999" }, "QueryParameterOutOfRange", "$top"],
    [{ $top: ["1", "2"] }, "QueryParameterValueTypeError", "$top"],
  ];
  for (const [query, key, param] of cases) {
    try {
      parsePage(query);
      t.fail(`${JSON.stringify(query)} accepted`);
    } catch (e) {
      t.ok(e instanceof RedfishError);
      const error = e as RedfishError;
      t.equal(error.status, 400);
      t.equal(error.problems[0]?.key, key, JSON.stringify(query));
      t.equal(error.problems[0]?.args?.[1], param);
    }
  }
});

t.test("times render as RFC 3339 with offset, without empty milliseconds", async (t) => {
  t.equal(rfc3339("2026-02-10T22:00:00.000Z"), "2026-02-10T22:00:00Z");
  t.equal(rfc3339("2026-02-10T22:00:00.250Z"), "2026-02-10T22:00:00.250Z");
  t.equal(rfc3339(null), null);
});
