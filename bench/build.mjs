// Output size of `nitrokit build --preset node` for examples/hello and the showcase, beside a
// Hono app with hello's routes bundled the same way (esbuild, minified ESM for Node 20).
// Run after `npm run build`: node bench/build.mjs
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist", "cli.js");
const work = mkdtempSync(join(tmpdir(), "nitrokit-bench-build-"));

function folderSize(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

function measure(name, outDir) {
  const entry = readFileSync(join(outDir, "server", "index.mjs"));
  const total = folderSize(outDir);
  let modules = { files: 0, bytes: 0 };
  try {
    modules = folderSize(join(outDir, "server", "node_modules"));
  } catch {}
  return { name, files: total.files, bytes: total.bytes, entry: entry.length, entryGzip: gzipSync(entry).length, nodeModules: modules.bytes };
}

function nitrokitBuild(name, exampleDir, entry) {
  const outDir = join(work, name, ".output");
  const result = spawnSync(process.execPath, [cli, "build", entry, "--outDir", outDir], { cwd: join(root, "examples", exampleDir), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${name}: build failed\n${result.stdout}${result.stderr}`);
  return measure(`nitrokit ${name}`, outDir);
}

async function honoBuild() {
  const dir = join(work, "hono");
  mkdirSync(dir, { recursive: true });
  const source = join(dir, "app.mjs");
  writeFileSync(source, `import { Hono } from "hono";
import { serve } from "@hono/node-server";
const app = new Hono();
app.use(async (c, next) => { c.set("requestId", crypto.randomUUID()); await next(); });
app.get("/api/hello", (c) => c.json({ message: "Hello from Hono!" }));
app.get("/api/users/:id", (c) => c.json({ userId: c.req.param("id") }));
app.post("/api/users", async (c) => { const body = await c.req.json(); if (!body?.name) return c.json({ status: 400, message: "Name and email are required" }, 400); return c.json({ success: true }); });
app.get("/api/config", (c) => c.json({ apiBase: process.env.API_BASE ?? "http://localhost:3000", hasValidSecret: true }));
app.get("/api/request-id", (c) => c.json({ requestId: c.get("requestId") }));
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
`);
  const outDir = join(dir, ".output");
  await build({
    entryPoints: [source],
    nodePaths: [join(root, "node_modules")],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "none",
    outfile: join(outDir, "server", "index.mjs"),
    banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
    logLevel: "error",
  });
  return measure("hono (hello's routes)", outDir);
}

const rows = [nitrokitBuild("hello", "hello", "app.mjs"), nitrokitBuild("showcase", "showcase", "app.mjs"), await honoBuild()];
const kB = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log("output".padEnd(24), "files".padStart(6), "total".padStart(12), "node_modules".padStart(13), "index.mjs".padStart(11), "gzipped".padStart(10));
for (const row of rows) {
  console.log(row.name.padEnd(24), String(row.files).padStart(6), kB(row.bytes).padStart(12), kB(row.nodeModules).padStart(13), kB(row.entry).padStart(11), kB(row.entryGzip).padStart(10));
}
const hono = rows.at(-1);
console.log(`\nhello's gzipped entry is ${(rows[0].entryGzip / hono.entryGzip).toFixed(1)}× Hono's.`);
rmSync(work, { recursive: true, force: true });
