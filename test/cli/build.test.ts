import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listeningURL } from "../fixtures/child-server.js";
import { cliFixtures } from "./cli-helpers.js";
import { REPO_ROOT } from "./cli-package.js";

// `nitrokit build` on the real bin, then the output run by node from a folder with no node_modules above it.
const cli = cliFixtures();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Copies `<projectDir>/.output` into an empty temporary folder and starts it (node by default) on a free port. */
async function startOutput(projectDir: string, command: string[] = [process.execPath], extraEnv: Record<string, string> = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "nitrokit-output-"));
  cpSync(join(projectDir, ".output"), join(dir, ".output"), { recursive: true });
  const env: Record<string, string | undefined> = { ...process.env, PORT: "0", HOST: "127.0.0.1", NO_COLOR: "1", ...extraEnv };
  delete env.NODE_PATH;
  const child = spawn(command[0]!, [...command.slice(1), ".output/server/index.mjs"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push(() => {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  return (await listeningURL(child, { what: "the built server", timeout: 15_000 })).url;
}

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("nitrokit build --preset node", () => {
  it("builds the showcase into a standalone .output that serves JSON, SQLite, fs KV, the cache and server assets", async () => {
    const project = cli.project({ "assets/hello.txt": "Hi from assets" }, { copyExample: "showcase" });
    project.write("entry.mjs", `import { defineHandler } from "nitrokit/h3";
import { useStorage } from "nitrokit/storage";
import { createShowcaseApp } from "./app.mjs";
export default () => {
  const app = createShowcaseApp({ expensiveDelay: 300 });
  app.get("/api/asset", defineHandler(async () => {
    const assets = useStorage("assets:server");
    const meta = await assets.getMeta("hello.txt");
    return { text: await assets.getItem("hello.txt"), type: meta.type, etag: meta.etag };
  }));
  return app;
};
`);
    const built = await cli.run(["build", "entry.mjs"], { cwd: project.dir });
    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect(built.stdout).toMatch(/Built \.output\/server\/index\.mjs \(node\)/);
    expect(existsSync(project.path(".output/server/node_modules/unstorage/package.json"))).toBe(true);
    expect(readFileSync(project.path(".output/server/assets/server/hello.txt"), "utf8")).toBe("Hi from assets");

    const base = await startOutput(project.dir);
    expect(await getJson(`${base}/api/hello`)).toEqual({ status: 200, body: { message: "Hello from Nitro!" } });
    expect((await getJson(`${base}/api/users/7`)).body).toMatchObject({ userId: "7" });
    const products = await getJson(`${base}/api/products`);
    expect(products.body).toMatchObject({ message: "Database operations completed", count: 1 });
    expect((await getJson(`${base}/api/counter`)).body).toMatchObject({ counter: 1 });
    expect((await getJson(`${base}/api/counter`)).body).toMatchObject({ counter: 2 });
    const first = await getJson(`${base}/api/expensive`);
    expect(await getJson(`${base}/api/expensive`)).toEqual(first);
    expect((await getJson(`${base}/api/github/nitrojs/nitro`)).body).toMatchObject({ stars: 5234 });
    expect((await getJson(`${base}/api/asset`)).body).toMatchObject({ text: "Hi from assets", type: "text/plain; charset=utf-8", etag: expect.stringMatching(/^"e-/) });
    expect((await getJson(`${base}/api/nowhere`)).status).toBe(404);
  }, 60_000);

  it("copies serverAssets, prerenders prerender routes into .output/public, and builds the aws-lambda preset", async () => {
    const project = cli.project({
      "templates/mail.html": "<p>{{name}}</p>",
      "app.mjs": `import { createNitroApp } from "nitrokit";
import { defineHandler } from "nitrokit/h3";
import { useStorage } from "nitrokit/storage";
export const app = createNitroApp({
  serverAssets: [{ baseName: "templates", dir: "./templates" }],
  routeRules: { "/about": { prerender: true } },
});
app.get("/about", defineHandler(() => new Response("<h1>About</h1>", { headers: { "content-type": "text/html", "x-rendered-by": "app" } })));
app.get("/mail", defineHandler(async () => (await useStorage("assets:templates").getItem("mail.html")).replace("{{name}}", "Ada")));
app.get("/pid", defineHandler(() => ({ pid: process.pid })));
`,
    });
    const built = await cli.run(["build"], { cwd: project.dir });
    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect(project.read(".output/public/about/index.html")).toBe("<h1>About</h1>");
    const base = await startOutput(project.dir);
    expect(await (await fetch(`${base}/mail`)).text()).toBe("<p>Ada</p>");
    // The prerendered page is served from .output/public, not rendered again.
    const about = await fetch(`${base}/about`);
    expect(await about.text()).toBe("<h1>About</h1>");
    expect(about.headers.get("x-rendered-by")).toBeNull();
    expect(about.headers.get("last-modified")).toBeTruthy();
    expect((await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);

    // NITRO_CLUSTER_WORKERS, as with Nitro's node-cluster preset: worker processes behind one port.
    const clustered = await startOutput(project.dir, [process.execPath], { NITRO_CLUSTER_WORKERS: "2" });
    const pids = new Set<number>();
    for (let i = 0; i < 40 && pids.size < 2; i++) pids.add(((await (await fetch(`${clustered}/pid`, { headers: { connection: "close" } })).json()) as { pid: number }).pid);
    expect(pids.size).toBe(2);
    expect(await (await fetch(`${clustered}/mail`)).text()).toBe("<p>Ada</p>");

    const lambda = await cli.run(["build", "--preset", "aws-lambda"], { cwd: project.dir });
    expect(lambda.code, lambda.stdout + lambda.stderr).toBe(0);
    const { handler } = (await import(project.path(".output/server/index.mjs"))) as { handler: (event: unknown) => Promise<{ statusCode: number; body: string }> };
    const result = await handler({ version: "2.0", rawPath: "/mail", rawQueryString: "", headers: { host: "x.example" }, requestContext: { http: { method: "GET", sourceIp: "1.2.3.4" } }, isBase64Encoded: false });
    expect(result).toMatchObject({ statusCode: 200, body: "<p>Ada</p>" });
  }, 60_000);

  it("builds the workers preset into one module that runs on workerd (miniflare) with KV and D1 bindings", async () => {
    const project = cli.project({}, { copyExample: "portable" });
    project.write("worker-entry.mjs", `import { createPortableApp } from "./app.mjs";
export default () => createPortableApp({ storage: { data: { driver: "cloudflare-kv-binding", binding: "KV" } } });
`);
    const built = await cli.run(["build", "worker-entry.mjs", "--preset", "workers"], { cwd: project.dir });
    expect(built.code, built.stdout + built.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), "nitrokit-worker-output-"));
    cpSync(project.path(".output"), join(dir, ".output"), { recursive: true });
    const { Miniflare } = await import("miniflare");
    const entry = join(dir, ".output/server/index.mjs");
    const mf = new Miniflare({
      modules: [{ type: "ESModule", path: entry, contents: readFileSync(entry, "utf8") }],
      modulesRoot: join(dir, ".output/server"),
      compatibilityDate: "2025-09-15",
      compatibilityFlags: ["nodejs_compat"],
      kvNamespaces: ["KV"],
      d1Databases: ["DB"],
      kvPersist: false,
      d1Persist: false,
    });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    try {
      const get = async (path: string, init?: RequestInit) => (await mf.dispatchFetch(`http://worker.example${path}`, init as never)).json();
      expect(await get("/api/hello")).toMatchObject({ runtime: "workerd" });
      expect(await get("/api/users/7")).toEqual({ id: "7" });
      expect(await get("/api/kv/a", { method: "PUT", headers: { "content-type": "application/json" }, body: '{"x":1}' })).toEqual({ stored: true });
      expect(await get("/api/kv/a")).toEqual({ value: { x: 1 } });
      const cached = await get("/api/cached");
      expect(await get("/api/cached")).toEqual(cached);
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  it("builds the showcase for bun and deno, each output run on its runtime (bun:sqlite, node:sqlite, fs KV)", async () => {
    const bin = (name: string) => join(REPO_ROOT, "node_modules", ".bin", name);
    for (const [preset, command] of [["bun", [bin("bun")]], ["deno", [bin("deno"), "run", "-A"]]] as const) {
      const project = cli.project({}, { copyExample: "showcase" });
      const built = await cli.run(["build", "app.mjs", "--preset", preset], { cwd: project.dir });
      expect(built.code, built.stdout + built.stderr).toBe(0);
      const base = await startOutput(project.dir, [...command]);
      expect((await getJson(`${base}/api/products`)).body, preset).toMatchObject({ count: 1 });
      expect((await getJson(`${base}/api/counter`)).body, preset).toMatchObject({ counter: 1 });
      expect((await getJson(`${base}/api/github/nitrojs/nitro`)).body, preset).toMatchObject({ stars: 5234 });
    }
  }, 90_000);

  it("refuses an unknown preset with a usage error", async () => {
    const project = cli.project({}, { copyExample: "hello" });
    const result = await cli.run(["build", "app.mjs", "--preset", "vercel-edge"], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown preset 'vercel-edge': use one of node, bun, deno, workers, aws-lambda/);
  });
});
