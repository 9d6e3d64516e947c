// Builds the console into lib/ui/: one hashed script, one hashed stylesheet, and
// index.html naming them. Run by `npm run build` after the type check (tsc -p ui).
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "lib", "ui");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: { app: join(here, "src", "main.tsx"), style: join(here, "src", "styles.css") },
  outdir: out,
  entryNames: "[name]-[hash]",
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((f) => f.startsWith("app-") && f.endsWith(".js"));
const css = outputs.find((f) => f.startsWith("style-") && f.endsWith(".css"));
if (!js || !css) throw new Error(`console build: expected app-*.js and style-*.css, got ${outputs.join(", ")}`);
const html = readFileSync(join(here, "index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
writeFileSync(join(out, "index.html"), html);

let gzipped = 0;
for (const f of readdirSync(out)) gzipped += gzipSync(readFileSync(join(out, f))).length;
process.stdout.write(`console: lib/ui/ (${js}, ${css}), ${(gzipped / 1024).toFixed(1)} KB gzipped\n`);
