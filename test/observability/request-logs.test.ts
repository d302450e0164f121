import { afterEach, describe, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "nitrokit";
import { defineHandler, HTTPError } from "nitrokit/h3";
import { defineCachedFunction } from "nitrokit/cache";
import { useDatabase } from "nitrokit/database";
import { serve } from "nitrokit/node";
import { connect } from "../fixtures/ws-client.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const apps: NitroApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  vi.restoreAllMocks();
});
function app(config: Parameters<typeof createNitroApp>[0]): NitroApp {
  const created = createNitroApp(config);
  apps.push(created);
  return created;
}

/** A pino-like logger that keeps what it is given. */
function recordingLogger() {
  const lines: Array<{ level: string; record: Record<string, unknown>; message?: string }> = [];
  const at = (level: string) => (record: object, message?: string) => void lines.push({ level, record: record as Record<string, unknown>, message });
  return { logger: { info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

describe("logging: one line per request", () => {
  it("hands a pino-compatible logger one record per request, at a level by status, with the request id", async () => {
    const { logger, lines } = recordingLogger();
    const logged = app({ logging: { logger } });
    logged.get("/ok", defineHandler((event) => ({ id: event.context.requestId })));
    logged.get("/missing", () => {
      throw new HTTPError({ status: 404, message: "no such thing" });
    });
    logged.get("/broken", () => {
      throw new Error("database on fire");
    });
    vi.spyOn(console, "error").mockImplementation(() => {});

    const ok = await logged.fetch(new Request("http://localhost/ok?secret=1", { headers: { "x-request-id": "req-123" } }));
    expect(await ok.json()).toEqual({ id: "req-123" });
    expect(ok.headers.get("x-request-id")).toBe("req-123");
    await logged.fetch(new Request("http://localhost/missing"));
    await logged.fetch(new Request("http://localhost/broken"));

    expect(lines.map((line) => [line.level, line.record.method, line.record.path, line.record.status])).toEqual([
      ["info", "GET", "/ok", 200],
      ["warn", "GET", "/missing", 404],
      ["error", "GET", "/broken", 500],
    ]);
    expect(lines[0]!.record.requestId).toBe("req-123");
    expect(typeof lines[0]!.record.duration).toBe("number");
    expect(lines[0]!.message).toBe("GET /ok 200");
    // The query string stays out of the line: it carries tokens as often as not.
    expect(JSON.stringify(lines)).not.toContain("secret");
  });

  it("generates a request id when the header is missing or not a safe value, and the error hook sees it", async () => {
    const { logger, lines } = recordingLogger();
    const logged = app({ logging: { logger } });
    const seen: unknown[] = [];
    logged.hooks.hook("error", (_error, context) => void seen.push(context.event?.context.requestId));
    logged.get("/broken", () => {
      throw new Error("nope");
    });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const hostile = await logged.fetch(new Request("http://localhost/broken", { headers: { "x-request-id": "a b\u00ff<script>" } }));
    const generated = hostile.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines[0]!.record.requestId).toBe(generated);
    expect(seen).toEqual([generated]);
  });

  it("writes JSON lines to stdout in production and readable lines with dev", async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    const production = app({ logging: true });
    production.get("/hello", () => "hi");
    await production.fetch(new Request("http://localhost/hello", { headers: { "x-request-id": "abc" } }));
    const record = JSON.parse(written[0]!) as Record<string, unknown>;
    expect(record).toMatchObject({ level: "info", msg: "request", method: "GET", path: "/hello", status: 200, requestId: "abc" });
    expect(Number.isNaN(Date.parse(record.time as string))).toBe(false);

    const dev = app({ dev: true, logging: true });
    dev.get("/hello", () => "hi");
    await dev.fetch(new Request("http://localhost/hello", { headers: { "x-request-id": "abc" } }));
    expect(written[1]).toMatch(/^GET \/hello 200 [\d.]+ms abc\n$/);
  });

  it("adds Server-Timing with dev: middleware, handler, cache and db phases, and a total", async () => {
    const rootDir = await mkdtemp(join(tmpdir(), "nitrokit-timing-"));
    try {
      const slowly = defineCachedFunction(async (n: number) => n * 2, { name: "double", getKey: (n: number) => String(n) });
      const dev = app({ dev: true, rootDir, logging: { logger: recordingLogger().logger } });
      dev.use(function gate() {});
      dev.get(
        "/timed",
        defineHandler(async () => {
          const { rows } = await useDatabase().sql`SELECT 1 AS one`;
          return { value: await slowly(21), one: rows![0] };
        }),
      );
      const response = await dev.fetch(new Request("http://localhost/timed"));
      expect(await response.json()).toEqual({ value: 42, one: { one: 1 } });
      const timing = response.headers.get("server-timing")!;
      const phases = Object.fromEntries(timing.split(", ").map((entry) => entry.split(";dur=") as [string, string]));
      expect(Object.keys(phases)).toEqual(["middleware", "handler", "cache", "db", "total"]);
      for (const value of Object.values(phases)) expect(Number(value)).toBeGreaterThanOrEqual(0);
      expect(Number(phases.total)).toBeGreaterThanOrEqual(Number(phases.handler));
      expect(Number(phases.handler)).toBeGreaterThanOrEqual(Number(phases.db));
    } finally {
      await Promise.all(apps.splice(0).map((created) => created.close()));
      await rm(rootDir, { recursive: true, force: true });
    }

    const production = app({ logging: { logger: recordingLogger().logger } });
    production.get("/timed", () => "x");
    expect((await production.fetch(new Request("http://localhost/timed"))).headers.has("server-timing")).toBe(false);

    // `dev` alone (what `nitrokit dev` sets): Server-Timing, and no request log or request id.
    const devOnly = app({ dev: true });
    devOnly.get("/timed", defineHandler(() => "x"));
    const written = vi.spyOn(process.stdout, "write");
    try {
      const plain = await devOnly.fetch(new Request("http://localhost/timed"));
      expect(plain.headers.get("server-timing")).toMatch(/handler;dur=[\d.]+.*total;dur=[\d.]+/);
      expect(plain.headers.has("x-request-id")).toBe(false);
      expect(await plain.text()).toBe("x");
      expect(written.mock.calls.some(([chunk]) => String(chunk).includes("/timed"))).toBe(false);
    } finally {
      written.mockRestore();
    }
  });

  it("logs WebSocket upgrades and leaves the connection working, and a proxied (immutable) response gets its id too", async () => {
    const { logger, lines } = recordingLogger();
    const logged = app({ logging: { logger } });
    logged.websocket("/echo", {
      message(peer, message) {
        peer.send(message.text());
      },
    });
    logged.get("/relay", () => fetch(`${base}/plain`));
    logged.get("/plain", () => "plain");
    await logged.ready();
    const server = serve(logged, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
    await server.ready();
    const base = server.url!.replace(/\/$/, "");
    try {
      const client = await connect(`${base.replace(/^http/, "ws")}/echo`);
      client.ws.send("ping");
      expect(await client.next((message) => message.raw === "ping")).toEqual({ raw: "ping", binary: false });
      client.ws.terminate();
      const relayed = await fetch(`${base}/relay`, { headers: { "x-request-id": "relay-1" } });
      expect(await relayed.text()).toBe("plain");
      expect(relayed.headers.get("x-request-id")).toBe("relay-1");
      expect(lines.map((line) => line.record.path)).toEqual(expect.arrayContaining(["/echo", "/relay", "/plain"]));
    } finally {
      await server.close();
    }
  });

  it("refuses a logger without the three levels", () => {
    expect(() => createNitroApp({ logging: { logger: { info() {} } as never } })).toThrow(/logging\.logger: expected a pino-compatible logger/);
  });
});
