import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import Koa from "koa";
import { request } from "undici";
import t, { type Test } from "tap";
import type { GatewayState } from "../../../gateway/http/state.js";
import { serveConsole } from "../../../gateway/ui/static-files.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { call, startGateway } from "../helpers/http.js";

const INDEX = "<!doctype html><title>console</title>" + "<!-- padding -->".repeat(60);
const SCRIPT = "console.log('app');" + " ".repeat(600);

/** A console folder with a sub-folder and a secret next to it, to show neither can be reached. */
function consoleDir(): string {
  const root = tempDir("shoal-ui-");
  writeFileSync(join(root, "secret.json"), '{"password":"hunter2"}');
  const dir = join(root, "ui");
  mkdirSync(join(dir, "nested"), { recursive: true });
  writeFileSync(join(dir, "index.html"), INDEX);
  writeFileSync(join(dir, "app-ABCD1234.js"), SCRIPT);
  writeFileSync(join(dir, "style-WXYZ9876.css"), "body{color:red}");
  writeFileSync(join(dir, "notes.md"), "not a served type");
  writeFileSync(join(dir, "nested", "inner.js"), "inner");
  return dir;
}

async function serve(t: Test, dir: string): Promise<string> {
  const app = new Koa<GatewayState>();
  app.use(serveConsole({ dir }));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = "passed on";
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

t.test("the console's page is served at / and /ui/ with its content type, no-cache and a strict CSP", async (t) => {
  const base = await serve(t, consoleDir());
  for (const path of ["/", "/ui", "/ui/", "/ui/index.html"]) {
    const r = await call(base, "GET", path);
    t.equal(r.status, 200, path);
    t.equal(r.text, INDEX, `${path} is index.html`);
    t.equal(r.headers["content-type"], "text/html; charset=utf-8", `${path} content type`);
    t.equal(r.headers["cache-control"], "no-cache", `${path} is revalidated every time`);
    t.match(r.headers["content-security-policy"], /default-src 'none'.*script-src 'self'.*connect-src 'self'/, `${path} allows nothing from elsewhere`);
  }
});

t.test("hashed assets are cached for a year; a matching If-None-Match answers 304; HEAD has no body", async (t) => {
  const base = await serve(t, consoleDir());
  const js = await call(base, "GET", "/ui/app-ABCD1234.js");
  t.equal(js.status, 200);
  t.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
  t.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
  const css = await call(base, "GET", "/ui/style-WXYZ9876.css");
  t.equal(css.headers["content-type"], "text/css; charset=utf-8");

  const again = await call(base, "GET", "/ui/app-ABCD1234.js", { headers: { "if-none-match": js.headers.etag ?? "" } });
  t.equal(again.status, 304);
  t.equal(again.text, "");

  const head = await call(base, "HEAD", "/ui/app-ABCD1234.js");
  t.equal(head.status, 200);
  t.equal(head.text, "");
});

t.test("a client that accepts gzip gets the file gzipped, others get it plain", async (t) => {
  const base = await serve(t, consoleDir());
  const zipped = await request(`${base}/ui/app-ABCD1234.js`, { headers: { "accept-encoding": "gzip, br" } });
  t.equal(zipped.headers["content-encoding"], "gzip");
  t.equal(zipped.headers["vary"], "Accept-Encoding");
  t.equal(gunzipSync(Buffer.from(await zipped.body.arrayBuffer())).toString(), SCRIPT);
  const refused = await request(`${base}/ui/app-ABCD1234.js`, { headers: { "accept-encoding": "gzip;q=0, identity" } });
  t.equal(refused.headers["content-encoding"], undefined);
  t.equal(await refused.body.text(), SCRIPT);
});

t.test("no path leaves the console folder: traversal, encoded dots, sub-folders and unknown types pass on", async (t) => {
  const base = await serve(t, consoleDir());
  for (const path of [
    "/ui/../secret.json",
    "/ui/%2e%2e/secret.json",
    "/ui/%2E%2E%2Fsecret.json",
    "/ui/..%2fsecret.json",
    "/ui/nested/inner.js",
    "/ui/nested%2finner.js",
    "/ui/notes.md",
    "/ui/missing.js",
    "/secret.json",
    "/app-ABCD1234.js",
  ]) {
    const r = await call(base, "GET", path);
    t.equal(r.status, 404, path);
    t.equal(r.text, "passed on", `${path} is left to the rest of the app`);
  }
});

t.test("other methods pass on to the rest of the app", async (t) => {
  const base = await serve(t, consoleDir());
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    const r = await call(base, method, "/ui/index.html");
    t.equal(r.text, "passed on", method);
  }
});

t.test("in the gateway: the console needs no credentials, the API still does, and unknown paths are Redfish 404s", async (t) => {
  const g = await startGateway({ config: { auth: { enabled: true, mode: "token", basic: null, tokens: ["tok-console-1"] } } });
  t.teardown(() => g.close());
  const page = await call(g.url, "GET", "/");
  t.equal(page.status, 200, "the log-in page loads without credentials");
  t.match(page.headers["content-type"], /^text\/html/);
  t.match(page.text, /<script type="module" src="\/ui\/app-[A-Z0-9]{8}\.js">/, "the built page names its hashed script");
  const script = /src="(\/ui\/app-[A-Z0-9]{8}\.js)"/.exec(page.text)?.[1] ?? "";
  t.equal((await call(g.url, "GET", script)).status, 200, "and the script is served");

  t.equal((await call(g.url, "GET", "/MultiFish/v1/JobService")).status, 401, "the API still asks for credentials");
  t.equal((await call(g.url, "GET", "/MultiFish/v1/JobService", { headers: { authorization: "Bearer tok-console-1" } })).status, 200);
  const missing = await call(g.url, "GET", "/ui/nope.js", { headers: { authorization: "Bearer tok-console-1" } });
  t.equal(missing.status, 404);
  t.match(missing.json, { error: { code: /ResourceNotFound/ } }, "a path the console lacks is the API's own 404");
  const post = await call(g.url, "POST", "/", { headers: { authorization: "Bearer tok-console-1" } });
  t.ok(post.status === 404 || post.status === 405, `POST / is not served (${post.status})`);
});
