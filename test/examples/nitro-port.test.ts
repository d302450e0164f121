/**
 * examples/nitro-port: three apps in the shape of Nitro 3's own examples. Every file but
 * `app.ts` (the registration: what Nitro finds by scanning, listed in code) is Nitro code
 * with its `nitro…` import specifiers changed to `nitrokit…`. The first block checks that
 * claim on the sources; the others run the apps in-process, over real HTTP and WebSocket,
 * and through the `nitrokit` command as a user runs them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NitroApp } from "../../src/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { json, serveOnLoopback } from "../helpers.js";
import { connect } from "../fixtures/ws-client.js";
import { cliFixtures } from "../cli/cli-helpers.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/nitro-port/", import.meta.url));
const APPS = ["api-routes", "middleware-plugins", "cache-ws"] as const;

/**
 * What Nitro 3 exports under each specifier a Nitro app imports (its package.json `exports`
 * and `src/runtime/*.ts`): a ported file may import these names, under `nitrokit…`, and no others.
 */
const NITRO_EXPORTS: Record<string, readonly string[]> = {
  nitro: [
    "defineConfig", "definePlugin", "defineRouteMeta", "defineErrorHandler",
    "defineHandler", "defineMiddleware", "defineWebSocketHandler", "html", "HTTPError", "HTTPResponse",
    "serverFetch", "fetch", "H3Event", "EventHandlerRequest", "EventHandlerWithFetch", "FastResponse",
  ],
  "nitro/app": ["useNitroApp", "useNitroHooks", "serverFetch", "getRouteRules", "fetch"],
  "nitro/context": ["useRequest"],
  "nitro/runtime-config": ["useRuntimeConfig"],
  "nitro/storage": ["useStorage"],
  "nitro/cache": ["defineCachedFunction", "defineCachedHandler", "cachedFunction", "cachedEventHandler", "defineCachedEventHandler"],
  "nitro/task": ["defineTask", "runTask"],
  "nitro/database": ["useDatabase"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `import { a, b as c } from "x"` → [["x", ["a", "b"]]]; side-effect and default imports give no names. */
function importsOf(source: string): Array<{ specifier: string; names: string[] }> {
  const found: Array<{ specifier: string; names: string[] }> = [];
  for (const match of source.matchAll(/import\s+(?:type\s+)?([\s\S]*?)\s+from\s+"([^"]+)"/g)) {
    const names = [...(match[1]!.match(/\{([\s\S]*)\}/)?.[1] ?? "").split(",")]
      .map((name) => name.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!)
      .filter(Boolean);
    found.push({ specifier: match[2]!, names });
  }
  return found;
}

describe("examples/nitro-port: Nitro code with only its import specifiers changed", () => {
  for (const name of APPS) {
    it(`${name}: every nitrokit import is a Nitro 3 import renamed`, () => {
      const files = sourceFiles(join(EXAMPLES, name)).filter((file) => !file.endsWith("/app.ts"));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        for (const { specifier, names } of importsOf(readFileSync(file, "utf8"))) {
          const where = `${name}/${relative(join(EXAMPLES, name), file)} imports "${specifier}"`;
          if (specifier.startsWith(".") || !specifier.startsWith("nitro")) continue; // relative files and third-party packages (hono)
          expect(specifier, where).toMatch(/^nitrokit(\/|$)/);
          const nitroSpecifier = specifier.replace(/^nitrokit/, "nitro");
          expect(Object.keys(NITRO_EXPORTS), where).toContain(nitroSpecifier);
          for (const imported of names) expect(NITRO_EXPORTS[nitroSpecifier], `${where}: ${imported}`).toContain(imported);
        }
      }
    });
  }
});

async function loadApp(name: (typeof APPS)[number]): Promise<NitroApp> {
  // Imported by path: the examples are Nitro's code, outside the strict typecheck (see tsconfig.json).
  const path = `../../examples/nitro-port/${name}/app.ts`;
  return ((await import(path)) as { default: NitroApp }).default;
}

describe("examples/nitro-port/api-routes", () => {
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  beforeAll(async () => {
    app = await loadApp("api-routes");
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(() => server.close());

  it("serves api/ under /api and routes/ at the root, with params and methods from file names", async () => {
    expect(await (await fetch(`${base}/api/hello`)).text()).toBe("Hello, API!");
    expect(await (await fetch(`${base}/api/hello/Ada`)).json()).toEqual({ greeting: "Hello Ada!" });
    const created = await fetch(`${base}/api/notes`, json({ text: "first" }));
    expect(created.status).toBe(201);
    const note = await created.json();
    expect(note).toMatchObject({ text: "first" });
    expect(await (await fetch(`${base}/api/notes`)).json()).toEqual({ notes: [note] });
  });

  it("answers bad input with Nitro's error JSON", async () => {
    const res = await fetch(`${base}/api/notes`, json({ text: "" }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: true, status: 400, message: "A note needs a non-empty `text`" });
    const wrongMethod = await fetch(`${base}/api/notes`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
  });

  it("fetch('/api/hello') from nitrokit calls the app in-process, and the response streams back to the client", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Hello, API!");
  });

  it("reads runtime config (apiKey stays empty without NITRO_API_KEY)", async () => {
    expect(await (await fetch(`${base}/secret`)).json()).toEqual({ configured: false });
  });
});

describe("examples/nitro-port/middleware-plugins", () => {
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  beforeAll(async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {}); // `serverDir` is Nitro's build option: nitrokit says so once
    app = await loadApp("middleware-plugins");
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server.close();
    vi.restoreAllMocks();
  });

  it("runs server/middleware before the server entry, which answers paths no route claims", async () => {
    const res = await fetch(`${base}/anything/here`, { headers: { authorization: "Bearer let-me-in" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: "/anything/here", user: { name: "Ada" } });
    expect(await (await fetch(`${base}/`)).json()).toEqual({ path: "/", user: null });
  });

  it("lets server/routes win over the server entry", async () => {
    const res = await fetch(`${base}/me`, { headers: { authorization: "Bearer let-me-in" } });
    expect(await res.json()).toEqual({ name: "Ada" });
  });

  it("runs the plugin's response hook with Nitro 3's (res, event) arguments", async () => {
    const res = await fetch(`${base}/me`, { headers: { authorization: "Bearer let-me-in" } });
    expect(res.headers.get("x-powered-by")).toBe("nitro");
    expect(res.headers.get("x-path")).toBe("/me");
  });

  it("answers errors through the error handler given as a module path in the config", async () => {
    const teapot = await fetch(`${base}/teapot`);
    expect(teapot.status).toBe(418);
    expect(await teapot.text()).toBe("Custom error page for /teapot: This server only brews tea");
    const unauthorized = await fetch(`${base}/me`, { headers: { authorization: "Bearer wrong" } });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.text()).toBe("Custom error page for /me: Invalid token");
  });
});

describe("examples/nitro-port/cache-ws", () => {
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  beforeAll(async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    app = await loadApp("cache-ws");
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server.close();
    vi.restoreAllMocks();
  });

  it("hands paths no route claims to the Hono app registered as the server entry, route rules applied", async () => {
    const res = await fetch(`${base}/hono/hello`);
    expect(await res.text()).toBe("Hello from Hono inside Nitro");
    expect(res.headers.get("x-served-by")).toBe("hono");
    expect((await fetch(`${base}/hono/missing`)).status).toBe(404);
  });

  it("caches the html handler, and bypasses the cache when asked", async () => {
    const first = await fetch(`${base}/time`);
    expect(first.headers.get("content-type")).toMatch(/^text\/html/);
    const body = await first.text();
    expect(body).toMatch(/^<p>Rendered \d+ time\(s\)<\/p>$/);
    expect(await (await fetch(`${base}/time`)).text()).toBe(body);
    expect(await (await fetch(`${base}/time?fresh=1`)).text()).not.toBe(body);
  });

  it("caches a function while a task writes to storage", async () => {
    expect(await app.listTasks()).toMatchObject({ "visits:record": { description: "Counts one visit" } });
    expect(await app.runTask("visits:record")).toEqual({ result: 1 });
    const first = await (await fetch(`${base}/stats`)).json();
    expect(first).toEqual({ visits: 1, computed: 1 });
    await app.runTask("visits:record");
    expect(await (await fetch(`${base}/stats`)).json()).toEqual(first); // served from the cache for maxAge
  });

  it("serves routes/_ws.ts as a WebSocket with pub/sub", async () => {
    const url = `${base.replace(/^http/, "ws")}/_ws`;
    const alice = await connect(url);
    const bob = await connect(url);
    try {
      await alice.next((m) => m.text === "welcome");
      await bob.next((m) => m.text === "welcome");
      alice.ws.send("ping");
      await alice.next((m) => m.text === "pong");
      alice.ws.send("hello room");
      expect(await bob.next((m) => m.text === "hello room")).toMatchObject({ from: expect.any(String) });
    } finally {
      alice.ws.close();
      bob.ws.close();
    }
  });
});

describe("examples/nitro-port through the nitrokit command", () => {
  const cli = cliFixtures();

  it("`nitrokit dev` runs api-routes' TypeScript files and loads its .env; `nitrokit serve` does not load .env", async () => {
    const project = cli.project({}, { copyExample: "nitro-port/api-routes" });
    const dev = cli.start(["dev", "app.ts", "--port", "0"], { cwd: project.dir });
    const devURL = await dev.url();
    expect(await (await fetch(`${devURL}/api/hello`)).text()).toBe("Hello, API!");
    expect(await (await fetch(`${devURL}/secret`)).json()).toEqual({ configured: true });
    await dev.stop();

    const serve = cli.start(["serve", "app.ts", "--port", "0"], { cwd: project.dir });
    const serveURL = await serve.url();
    expect(await (await fetch(`${serveURL}/api/hello/Grace`)).json()).toEqual({ greeting: "Hello Grace!" });
    expect(await (await fetch(`${serveURL}/secret`)).json()).toEqual({ configured: false });
  });

  it("`nitrokit serve` with no entry takes app.ts, not Nitro's server.ts entry, and loads the .ts error handler named in the config", async () => {
    const project = cli.project({}, { copyExample: "nitro-port/middleware-plugins" });
    const serve = cli.start(["serve", "--port", "0"], { cwd: project.dir });
    const url = await serve.url();
    expect(await (await fetch(`${url}/some/page`)).json()).toEqual({ path: "/some/page", user: null });
    const teapot = await fetch(`${url}/teapot`);
    expect(teapot.status).toBe(418);
    expect(await teapot.text()).toBe("Custom error page for /teapot: This server only brews tea");
  });
});
