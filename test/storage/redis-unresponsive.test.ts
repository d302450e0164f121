import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { serveOnLoopback } from "../helpers.js";
import { describeWithRedisServer, freePort, OwnRedis } from "../fixtures/redis-server.js";

/**
 * The client gives up after this long: an app whose handler waits on a storage that never
 * answers fails here instead of hanging the test (no timing is asserted below it).
 */
const CLIENT_PATIENCE = 4_000;

/** An app whose `kv` mount is the `redis` driver at `url`, with a route that reads it and one that does not. */
async function appOnRedis(url: string): Promise<{ app: NitroApp; server: NitroNodeServer; base: string }> {
  const app = createNitroApp({ storage: { kv: { driver: "redis", url } } });
  app.get("/kv/:key", defineHandler(async (event) => ({ value: await useStorage("kv").getItem(event.context.params!.key!) })));
  app.put("/kv/:key", defineHandler(async (event) => {
    await useStorage("kv").setItem(event.context.params!.key!, "stored");
    return { stored: true };
  }));
  app.get("/health", defineHandler(() => ({ ok: true })));
  return { app, ...(await serveOnLoopback(app)) };
}

async function request(base: string, path: string, method = "GET") {
  const res = await fetch(base + path, { method, signal: AbortSignal.timeout(CLIENT_PATIENCE) });
  return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as Record<string, unknown> };
}

describe("a Redis mount on a server that accepts connections and never answers", () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let served: Awaited<ReturnType<typeof appOnRedis>>;

  beforeAll(async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    // Takes the connection, reads whatever ioredis sends (its ready check, commands), says nothing.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    served = await appOnRedis(`redis://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    await served?.server.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent?.close(() => resolve()));
    vi.restoreAllMocks();
  });

  it("fails the request that reads it with a JSON 500, and keeps serving", async () => {
    const first = await request(served.base, "/kv/a");
    expect(first.status).toBe(500);
    expect(first.type).toMatch(/application\/json/);
    // The second read no longer waits for a first connection: it fails on the unanswered connection too.
    expect((await request(served.base, "/kv/b")).status).toBe(500);
    expect((await request(served.base, "/kv/c", "PUT")).status).toBe(500);
    expect(await request(served.base, "/health")).toMatchObject({ status: 200, body: { ok: true } });
  });
});

describeWithRedisServer("a Redis mount whose server stops answering while connected (a redis-server of the test's own)", () => {
  let redis: OwnRedis;
  let served: Awaited<ReturnType<typeof appOnRedis>>;

  beforeAll(async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    redis = new OwnRedis(await freePort());
    await redis.start();
    served = await appOnRedis(redis.url);
  });

  afterAll(async () => {
    redis?.thaw();
    await served?.server.close();
    await redis?.stop();
    vi.restoreAllMocks();
  });

  it("fails each command it leaves unanswered, then works again once it answers", async () => {
    expect(await request(served.base, "/kv/k", "PUT")).toMatchObject({ status: 200, body: { stored: true } });
    expect(await request(served.base, "/kv/k")).toMatchObject({ status: 200, body: { value: "stored" } });

    redis.freeze();
    try {
      // ioredis sees no error on a connection that merely goes quiet: only a per-command timeout ends the wait.
      const read = await request(served.base, "/kv/k");
      expect(read.status).toBe(500);
      expect(read.type).toMatch(/application\/json/);
      expect(await request(served.base, "/health")).toMatchObject({ status: 200 });
    } finally {
      redis.thaw();
    }
    await vi.waitFor(async () => expect(await request(served.base, "/kv/k")).toMatchObject({ status: 200, body: { value: "stored" } }), {
      timeout: 10_000,
      interval: 100,
    });
  });
});
