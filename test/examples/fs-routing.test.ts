/**
 * examples/fs-routing: the seed's Nitro file tree, registered by `nitrokit/routing`.
 * First in-process (vitest loads the .ts files), then as users run it: `node --import tsx
 * examples/fs-routing/server.ts`, a plain Node process importing each file on first use.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { NitroApp } from "../../src/index.js";
import type { RouteFiles } from "../../src/routing/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { json, request, serveOnLoopback } from "../helpers.js";
import { connect } from "../fixtures/ws-client.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

// Imported by path: the example is the seed's code, outside the strict typecheck (see tsconfig.json).
const exampleApp = "../../examples/fs-routing/app.ts";
const { createFsRoutingApp } = (await import(exampleApp)) as { createFsRoutingApp: () => { app: NitroApp; registered: RouteFiles } };

describe("examples/fs-routing in-process", () => {
  let app: NitroApp;
  let registered: RouteFiles;
  let server: NitroNodeServer;
  let base: string;
  let logged: string[];

  beforeAll(async () => {
    logged = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    vi.spyOn(console, "error").mockImplementation(() => {}); // the plugin's `error` hook, on the 400 and 401 below
    ({ app, registered } = createFsRoutingApp());
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server.close();
    vi.restoreAllMocks();
  });

  it("registers the seed's tree by Nitro's conventions", () => {
    expect(registered.routes.map(({ method, route }) => `${method ?? "*"} ${route}`).sort()).toEqual([
      "* /_ws",
      "* /api/**:slug",
      "* /api/hello",
      "* /api/protected",
      "get /api/users/:id",
      "post /api/users",
    ]);
    expect(registered.middleware.map((file) => file.replace("./middleware/", ""))).toEqual(["1.logger.ts", "2.auth.ts", "3.validate.ts", "auth.ts"]);
    expect(registered.plugins).toEqual(["./plugins/database-init.ts"]);
    expect(registered.tasks).toEqual([{ name: "db:migrate", file: "./tasks/db/migrate.ts" }]);
    expect(logged).toContain("Initializing database connections...");
  });

  it("answers the seed's requests over real HTTP", async () => {
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "Hello from Nitro!" });
    expect(await (await fetch(`${base}/api/users/123`)).json()).toEqual({ userId: "123", profile: { name: "John Doe", email: "user123@example.com" } });
    const created = await (await fetch(`${base}/api/users`, json({ name: "Jane Doe", email: "jane@example.com" }))).json();
    expect(created).toMatchObject({ success: true, user: { name: "Jane Doe", email: "jane@example.com" } });
    const invalid = await fetch(`${base}/api/users`, json({ name: "x" }));
    expect([invalid.status, (await invalid.json()).message]).toEqual([400, "Name and email are required"]);
    const slug = await (await fetch(`${base}/api/products/electronics/laptops`)).json();
    expect(slug).toMatchObject({ path: "products/electronics/laptops", segments: ["products", "electronics", "laptops"] });
    expect(slug.url).toMatch(/\/api\/products\/electronics\/laptops$/);
    expect((await fetch(`${base}/api/protected`)).status).toBe(401);
    expect(await (await fetch(`${base}/api/protected`, { headers: { authorization: "Bearer t" } })).json()).toEqual({ message: "Protected data", userId: "user-123" });
  });

  it("runs the middleware in file-name order on every request", async () => {
    logged.length = 0;
    await fetch(`${base}/api/hello`);
    const started = logged.findIndex((line) => line.endsWith("Request started"));
    const chain = logged.findIndex((line) => line.includes("Middleware chain:"));
    const auth = logged.findIndex((line) => line.endsWith("GET /api/hello") && line.startsWith("[20"));
    expect(started).toBeGreaterThanOrEqual(0);
    expect(chain).toBeGreaterThan(started);
    expect(auth).toBeGreaterThan(chain);
  });

  it("hands WebSocket upgrades on /_ws to crossws (426 plus hooks) and answers plain GETs", async () => {
    const upgrade = await request(app, "/_ws", { headers: { connection: "Upgrade", upgrade: "websocket" } });
    expect(upgrade.status).toBe(426);
    const hooks = (upgrade as Response & { crossws?: Record<string, unknown> }).crossws;
    expect(Object.keys(hooks ?? {}).sort()).toEqual(["close", "error", "message", "open"]);
    expect((await fetch(`${base}/_ws`)).status).toBe(426);
  });

  it("serves routes/_ws.ts to real WebSocket clients: welcome, pong, chat to the others", async () => {
    const url = `${base.replace(/^http/, "ws")}/_ws`;
    const [alice, bob] = [await connect(url), await connect(url)];
    try {
      await alice.next((m) => m.type === "welcome");
      await bob.next((m) => m.type === "welcome");
      alice.ws.send(JSON.stringify({ type: "ping" }));
      await alice.next((m) => m.type === "pong");
      alice.ws.send(JSON.stringify({ type: "chat", message: "from the file tree" }));
      expect(await bob.next((m) => m.type === "message")).toMatchObject({ message: "from the file tree" });
    } finally {
      alice.ws.terminate();
      bob.ws.terminate();
    }
  });

  it("runs tasks/db/migrate.ts as db:migrate", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      // The seed's migration sleeps 3 × 1 s; its module loads over real I/O first.
      let settled = false;
      const run = app.runTask("db:migrate", { payload: { triggeredBy: "test" } }).finally(() => (settled = true));
      while (!settled) {
        await vi.advanceTimersByTimeAsync(1000);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await run).toEqual({
        success: true,
        migrationsRun: 3,
        results: ["001_users", "002_posts", "003_comments"].map((migration) => ({ migration, status: "success" })),
      });
    } finally {
      vi.useRealTimers();
    }
    expect(await app.listTasks()).toEqual({ "db:migrate": { description: "Run database migrations" } });
  });
});

describe("examples/fs-routing as a Node process (node --import tsx server.ts)", () => {
  let child: ChildProcess | undefined;
  let tsconfigDir: string;

  beforeAll(() => {
    // Users' `nitrokit/…` imports resolve to the built package; here tsx maps them to the
    // source, so the test never runs a stale dist/.
    tsconfigDir = mkdtempSync(join(tmpdir(), "nitrokit-fsr-"));
    const entries: Record<string, string> = {
      nitrokit: "src/index.ts",
      "nitrokit/h3": "src/h3.ts",
      "nitrokit/node": "src/adapters/node.ts",
      "nitrokit/routing": "src/routing/index.ts",
      "nitrokit/routing/node": "src/adapters/routing-node.ts",
      "nitrokit/task": "src/tasks/index.ts",
    };
    const paths = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, [join(root, file)]]));
    writeFileSync(join(tsconfigDir, "tsconfig.json"), JSON.stringify({ compilerOptions: { baseUrl: root, paths } }));
  });
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  afterAll(() => rmSync(tsconfigDir, { recursive: true, force: true }));

  it("serves the tree with Node's own import() and stops on SIGTERM", async () => {
    child = spawn(process.execPath, ["--import", "tsx", "examples/fs-routing/server.ts"], {
      cwd: root,
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", TSX_TSCONFIG_PATH: join(tsconfigDir, "tsconfig.json") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start.\nstdout: ${stdout}\nstderr: ${stderr}`)), 15_000);
      child!.stdout!.on("data", () => {
        const match = /Try: curl (http:\/\/[^/]+)\//.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });

    expect(stdout).toContain("6 routes, 4 middleware, 1 task(s)");
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "Hello from Nitro!" });
    expect(await (await fetch(`${base}/api/users/7`)).json()).toMatchObject({ userId: "7" });
    expect((await fetch(`${base}/api/users`, json({ email: "x" }))).status).toBe(400);
    expect(await (await fetch(`${base}/api/a/b`)).json()).toMatchObject({ path: "a/b", segments: ["a", "b"] });
    expect((await fetch(`${base}/_ws`)).status).toBe(426);
    expect(stdout).toMatch(/Request started[\s\S]*Middleware chain[\s\S]*GET \/api\/hello/);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toContain("Closing database connections...");
    // Only the plugin's `error` hook writes there: the 400 above.
    expect(stderr.trim().split("\n")).toEqual(["Error on /api/users: Name and email are required"]);
  });
});
