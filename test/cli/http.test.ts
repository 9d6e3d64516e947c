import t from "tap";
import { GatewayClient, withQuery } from "../../cli/http.js";
import { errorLines } from "../../cli/redfish-error.js";
import { run } from "./helpers.js";
import { redfishError, stubServer } from "./stub-server.js";
import { holdPort } from "../helpers/port-hold.js";

const jobsCollection = (ids: string[]) => ({
  "@odata.type": "#JobCollection.JobCollection",
  "@odata.id": "/MultiFish/v1/JobService/Jobs",
  Name: "Job Collection",
  Members: ids.map((id) => ({ "@odata.id": `/MultiFish/v1/JobService/Jobs/${id}` })),
  "Members@odata.count": ids.length,
});

t.test("basic auth from --user and SHOAL_PASSWORD; a bearer token from SHOAL_TOKEN", async (t) => {
  const stub = await stubServer(() => ({ body: jobsCollection([]) }));
  t.teardown(() => stub.close());
  const basic = await run(["jobs", "list", "--url", stub.url, "--user", "ops"], { env: { SHOAL_PASSWORD: "s3cret" } });
  t.equal(basic.code, 0);
  t.equal(stub.requests[0]?.headers.authorization, `Basic ${Buffer.from("ops:s3cret").toString("base64")}`);
  const token = await run(["jobs", "list"], { env: { SHOAL_URL: stub.url, SHOAL_TOKEN: "tok-1" } });
  t.equal(token.code, 0);
  t.equal(stub.requests[1]?.headers.authorization, "Bearer tok-1");
  const none = await run(["jobs", "list", "--url", stub.url]);
  t.equal(none.code, 0);
  t.equal(stub.requests[2]?.headers.authorization, undefined);
  t.equal(stub.requests[2]?.url, "/MultiFish/v1/JobService/Jobs?$expand=.", "members are asked for inline");
  const noPassword = await run(["jobs", "list", "--url", stub.url], { env: { SHOAL_USER: "ops" } });
  t.equal(noPassword.code, 2);
  t.match(noPassword.stderr, /SHOAL_PASSWORD/);
  t.equal(stub.requests.length, 3, "nothing sent without the password");
});

t.test("a validation error prints one line per @Message.ExtendedInfo entry and exits 2", async (t) => {
  const body = redfishError([
    ["PropertyValueFormatError", "The value '25:00' for the property Schedule/Time is not in a valid format.", "/Schedule/Time"],
    ["PropertyMissing", "The property Name is a required property and must be included in the request.", "/Name"],
    ["PropertyValueNotInList", "The value 'Turbo' is not allowed.", "/Payload/0/Payload/Profile"],
  ]);
  const stub = await stubServer(() => ({ status: 400, body }));
  t.teardown(() => stub.close());
  const r = await run(["jobs", "edit", "Job-1", "--url", stub.url, "--schedule", '{"Type":"Once","Time":"25:00"}']);
  t.equal(r.code, 2);
  t.equal(
    r.stderr,
    [
      "shoal: The value '25:00' for the property Schedule/Time is not in a valid format.",
      "shoal: The property Name is a required property and must be included in the request.",
      "shoal: The value 'Turbo' is not allowed. (at /Payload/0/Payload/Profile)",
      "",
    ].join("\n"),
  );
  t.equal(r.stdout, "");
  t.same(stub.requests[0]?.body, { Schedule: { Type: "Once", Time: "25:00" } });
  t.equal(stub.requests[0]?.headers["content-type"], "application/json");
  const json = await run(["jobs", "edit", "Job-1", "--url", stub.url, "--name", "x", "--json"]);
  t.equal(json.code, 2);
  t.same(JSON.parse(json.stdout), body, "--json puts the Redfish error on stdout for scripts");
});

t.test("404 exits 2; 5xx and non-Redfish bodies exit 3 with the HTTP status", async (t) => {
  let reply: { status: number; body: unknown } = { status: 404, body: redfishError([["ResourceNotFound", "The requested resource of type Job named 'Job-9' was not found."]]) };
  const stub = await stubServer(() => reply);
  t.teardown(() => stub.close());
  const missing = await run(["jobs", "get", "Job-9", "--url", stub.url]);
  t.equal(missing.code, 2);
  t.equal(missing.stderr, "shoal: The requested resource of type Job named 'Job-9' was not found.\n");
  reply = { status: 502, body: "<html><body>Bad gateway</body></html>" };
  const proxy = await run(["jobs", "get", "Job-9", "--url", stub.url]);
  t.equal(proxy.code, 3);
  t.equal(proxy.stderr, "shoal: HTTP 502 Bad Gateway: <html><body>Bad gateway</body></html>\n");
  reply = { status: 500, body: redfishError([["InternalError", "The request failed due to an internal service error."]]) };
  const broken = await run(["machines", "get", "m1", "--url", stub.url]);
  t.equal(broken.code, 3);
  t.match(broken.stderr, /internal service error/);
});

t.test("an unreachable gateway exits 3 and says how to start one", async (t) => {
  const stub = await stubServer(() => ({}));
  const url = stub.url;
  await stub.close();
  // Kept from other test files' servers until the CLI has tried it.
  t.teardown(await holdPort(Number(new URL(url).port)));
  const r = await run(["jobs", "list", "--url", url]);
  t.equal(r.code, 3);
  t.match(r.stderr, new RegExp(`cannot reach the gateway at ${url.replace(/\./g, "\\.")}: ECONNREFUSED`));
  t.match(r.stderr, /shoal serve/);
  const badUrl = await run(["jobs", "list", "--url", "ftp://x"]);
  t.equal(badUrl.code, 2);
  const notUrl = await run(["jobs", "list", "--url", "nowhere"]);
  t.equal(notUrl.code, 2);
  t.match(notUrl.stderr, /--url: "nowhere" is not a URL/);
});

t.test("collections are followed across nextLink pages and members are read", async (t) => {
  const ids = Array.from({ length: 7 }, (_, i) => `Job-${i}`);
  const stub = await stubServer((req) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/MultiFish/v1/JobService/Jobs") {
      const skip = Number(url.searchParams.get("$skip") ?? 0);
      const page = jobsCollection(ids.slice(skip, skip + 3));
      page["Members@odata.count"] = ids.length;
      const body: Record<string, unknown> = page;
      if (skip + 3 < ids.length) body["Members@odata.nextLink"] = `/MultiFish/v1/JobService/Jobs?$skip=${skip + 3}&$top=3`;
      return { body };
    }
    const id = url.pathname.split("/").pop() ?? "";
    return { body: { "@odata.id": url.pathname, Id: id, Name: `name ${id}`, Status: "Pending", ScheduleDescription: "Only when triggered" } };
  });
  t.teardown(() => stub.close());
  const client = new GatewayClient({ url: stub.url });
  const members = await client.members("/JobService/Jobs", { concurrency: 3 });
  t.same(members.map((m) => m.Id), ids, "in collection order");
  const limited = await client.memberLinks("/JobService/Jobs", 2);
  t.equal(limited.length, 2);
  t.match(stub.requests.at(-1)?.url, "$top=2");
  const r = await run(["jobs", "list", "--url", stub.url]);
  t.equal(r.code, 0);
  t.equal(r.stdout.trimEnd().split("\n").length, 8);
});

t.test("a gateway behind a path prefix keeps it, for API paths and for links it hands out", async (t) => {
  const client = new GatewayClient({ url: "http://127.0.0.1:9/shoal/" });
  t.equal(client.resolve("/JobService/Jobs").href, "http://127.0.0.1:9/shoal/MultiFish/v1/JobService/Jobs");
  t.equal(client.resolve("/MultiFish/v1/Platform/m1").href, "http://127.0.0.1:9/shoal/MultiFish/v1/Platform/m1");
  t.equal(withQuery("/Platform/m1", { force: "true" }), "/Platform/m1?force=true");
  t.equal(withQuery("/x?$top=5&$skip=5", { $top: "2" }), "/x?$skip=5&$top=2");
});

t.test("error lines: the message names the property, or the pointer is added", async (t) => {
  t.same(errorLines(400, "Bad Request", { error: { code: "Base.1.22.MalformedJSON", message: "The request body submitted was malformed JSON." } }), [
    "The request body submitted was malformed JSON.",
  ]);
  t.same(errorLines(413, "Payload Too Large", null), ["HTTP 413 Payload Too Large"]);
});
