import http from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../../src/index.js";
import { HTTPError, defineHandler, getRouterParam, readBody } from "../../../src/h3.js";
import { serve, type NitroNodeServer } from "../../../src/adapters/node.js";
import { rawRequest, tryConnect } from "../../fixtures/http.js";

const LIMIT = 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function createTestApp(events: string[] = []): NitroApp {
  const app = createNitroApp({ maxRequestBodySize: LIMIT });
  app.get(
    "/api/slow",
    defineHandler(async () => {
      events.push("slow:start");
      await sleep(200);
      events.push("slow:end");
      return { slow: true };
    }),
  );
  app.get("/api/hello", defineHandler(() => ({ message: "Hello" })));
  app.get("/api/users/:id", defineHandler((event) => ({ id: getRouterParam(event, "id") })));
  app.post("/api/echo", defineHandler(async (event) => ({ received: await readBody(event) })));
  app.get(
    "/api/remote",
    defineHandler((event) => ({
      node: event.node?.req.socket.remoteAddress,
      runtime: event.runtime?.node?.req.socket.remoteAddress,
      sameReq: event.node?.req === event.runtime?.node?.req,
    })),
  );
  app.get(
    "/api/teapot",
    defineHandler(() => {
      throw new HTTPError({ status: 418, message: "I am a teapot" });
    }),
  );
  return app;
}

describe("serve() from nitrokit/node", () => {
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;
  let closeHookCalls: number;
  let events: string[];

  beforeEach(async () => {
    events = [];
    app = createTestApp(events);
    closeHookCalls = 0;
    app.hooks.hook("close", () => {
      closeHookCalls++;
      events.push("close");
    });
    server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
    await server.ready();
    base = server.url!.replace(/\/$/, "");
  });

  afterEach(async () => {
    await server.close();
    await app.close();
  });

  it("listens on a free port and reports its url and port", async () => {
    expect(await server.ready()).toBe(server);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(server.node.listening).toBe(true);
  });

  it("serves a JSON route", async () => {
    const res = await fetch(`${base}/api/hello`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ message: "Hello" });
  });

  it("passes router params", async () => {
    const res = await fetch(`${base}/api/users/42`);
    expect(await res.json()).toEqual({ id: "42" });
  });

  it("reads a JSON request body", async () => {
    const res = await fetch(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "nitro", tags: ["a", "b"] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: { name: "nitro", tags: ["a", "b"] } });
  });

  it("answers an unknown path with a JSON 404", async () => {
    const res = await fetch(`${base}/api/nope?secret=1`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toMatchObject({ error: true, status: 404 });
    expect(res.statusText).toBe("Not Found");
    expect(body.message).toContain("/api/nope");
    expect(body.message).not.toContain("secret");
  });

  it("answers a wrong method with 405 and an Allow header", async () => {
    const res = await fetch(`${base}/api/users/1`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")?.split(/,\s*/).sort()).toEqual(["GET", "HEAD"]);
    expect(await res.json()).toMatchObject({ status: 405 });

    const post = await fetch(`${base}/api/hello`, { method: "PUT", body: "x" });
    expect(post.status).toBe(405);
  });

  it("passes an HTTPError thrown by a handler through as JSON", async () => {
    const res = await fetch(`${base}/api/teapot`);
    expect(res.status).toBe(418);
    expect(await res.json()).toMatchObject({ status: 418, message: "I am a teapot" });
  });

  it("answers malformed JSON with 400", async () => {
    const res = await fetch(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name": "nitro",',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400 });
  });

  it("accepts a body at the size limit", async () => {
    const value = "x".repeat(LIMIT - 2); // JSON string quotes make it exactly LIMIT bytes
    const res = await fetch(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(value),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: value });
  });

  it("answers 413 for a Content-Length body over maxRequestBodySize", async () => {
    const body = JSON.stringify({ data: "x".repeat(LIMIT * 2) });
    const res = await rawRequest(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
      chunks: [body],
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413 });
  });

  it("answers 413 for a chunked body (no Content-Length) that grows over maxRequestBodySize", async () => {
    const piece = "x".repeat(300);
    const res = await rawRequest(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "text/plain", "transfer-encoding": "chunked" },
      chunks: ['"', piece, piece, piece, piece, piece, piece, '"'],
      chunkDelay: 5,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413 });
  });

  it("accepts a chunked body under the limit", async () => {
    const res = await rawRequest(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      chunks: ['{"a":', '"b"', "}"],
      chunkDelay: 5,
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ received: { a: "b" } });
  });

  it("after a 413 the kept-alive connection is released, so close() does not wait for the graceful timeout", async () => {
    const agent = new http.Agent({ keepAlive: true });
    try {
      for (let i = 0; i < 3; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          const req = http.request(`${base}/api/echo`, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": 1_000_000 } }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          });
          req.on("error", reject);
          req.end("x".repeat(1_000_000));
        });
        expect(status).toBe(413);
        expect((await rawRequest(`${base}/api/hello`)).status).toBe(200);
      }
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      agent.destroy();
    }
  });

  it("keeps serving after errors", async () => {
    const big = "x".repeat(LIMIT * 3);
    const statuses = [
      (await fetch(`${base}/missing`)).status,
      (await fetch(`${base}/api/hello`, { method: "DELETE" })).status,
      (await fetch(`${base}/api/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" })).status,
      (await rawRequest(`${base}/api/echo`, { method: "POST", chunks: [big] })).status,
      (await fetch(`${base}/api/teapot`)).status,
    ];
    expect(statuses).toEqual([404, 405, 400, 413, 418]);
    const results = await Promise.all(Array.from({ length: 5 }, () => fetch(`${base}/api/hello`).then((r) => r.json())));
    expect(results).toEqual(Array(5).fill({ message: "Hello" }));
  });

  it("gives handlers the raw Node request as event.node.req and event.runtime.node.req", async () => {
    const res = await fetch(`${base}/api/remote`);
    const body = await res.json();
    expect(body.sameReq).toBe(true);
    expect(body.node).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(body.runtime).toBe(body.node);
  });

  it("close() stops listening, fires the close hook once, and can be called again", async () => {
    const port = server.port!;
    await fetch(`${base}/api/hello`); // leave a kept-alive socket behind
    await Promise.all([server.close(), server.close()]);
    expect(closeHookCalls).toBe(1);
    expect(server.node.listening).toBe(false);
    expect(await tryConnect(port)).toBe("ECONNREFUSED");
    await server.close();
    await app.close();
    expect(closeHookCalls).toBe(1);
  });

  it("close() stops accepting at once, lets a request in flight finish, then closes the app", async () => {
    const port = server.port!;
    const pending = rawRequest(`${base}/api/slow`);
    await expect.poll(() => events).toContain("slow:start");
    const closing = server.close();
    expect(await tryConnect(port)).toBe("ECONNREFUSED");
    const res = await pending;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ slow: true });
    await closing;
    expect(events).toEqual(["slow:start", "slow:end", "close"]);
  });

  it("answers 503 to requests that reach a closed app", async () => {
    await app.close();
    const res = await fetch(`${base}/api/hello`);
    expect(res.status).toBe(503);
  });
});

describe("serve() on a port already in use", () => {
  it("rejects ready() with a message naming the port", async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as AddressInfo).port;
    const app = createNitroApp();
    try {
      const server = serve(app, { port, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
      await expect(server.ready()).rejects.toThrow(new RegExp(`\\b${port}\\b`));
      await expect(server.ready()).rejects.toMatchObject({ code: "EADDRINUSE" });
      await server.close();
    } finally {
      await app.close();
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("rejects an invalid port at once", () => {
    const app = createNitroApp();
    expect(() => serve(app, { port: "http", silent: true, gracefulShutdown: false })).toThrow(/invalid port/);
    expect(() => serve(app, { port: 70000, silent: true, gracefulShutdown: false })).toThrow(RangeError);
    return app.close();
  });
});
