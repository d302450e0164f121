import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../fixtures/ws-client.js";
import { exchange } from "../fixtures/raw-socket.js";
import { SUITE_CAPABILITIES, type Capability, type RunningRuntime, type RuntimeTarget } from "./target.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** In CI (or with NITROKIT_REQUIRE_SERVICES) a runtime that cannot run fails the suite instead of skipping. */
const required = Boolean(process.env.CI || process.env.NITROKIT_REQUIRE_SERVICES);

/** Polls `read` until `accept` holds (or 10 s pass) and returns the last value. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await sleep(100);
    value = await read();
  }
  return value;
}

/**
 * The one conformance suite every runtime runs: `examples/portable` served by the real
 * runtime in its own process, or by a platform's handler in-process, the same requests,
 * the same answers. A case needing a capability the target lacks (see
 * {@link SUITE_CAPABILITIES}) is reported as skipped, with the target's reason in its title.
 */
export function describeRuntime(target: RuntimeTarget): void {
  const title = `examples/portable on ${target.label ?? target.name}`;
  const missing = target.missing();
  if (missing) {
    if (required) {
      describe(title, () => {
        it(`has a ${target.name} to run on`, () => {
          throw new Error(`${missing}; CI requires every runtime.`);
        });
      });
    } else {
      console.warn(`[nitrokit tests] skipped: ${title} (${missing})`);
      describe.skip(`${title} (skipped: ${missing})`, () => {});
    }
    return;
  }

  /** `it`, or `it.skip` titled with why the target cannot run it. */
  const needs = (capability: Capability) => {
    const reason = target.unsupported?.[capability];
    if (!reason) return it;
    return (name: string, _fn: () => Promise<void>, timeout?: number) => it.skip(`${name} (skipped: needs ${SUITE_CAPABILITIES[capability]}; ${reason})`, () => {}, timeout);
  };
  const expectedRuntime = target.runtime ?? target.name;

  describe(title, () => {
    let runtime: RunningRuntime;
    /** The loopback address, for the cases that need a socket. */
    const address = () => {
      if (!runtime.base) throw new Error(`${target.name} serves no port; list the capability in its \`unsupported\``);
      return runtime.base;
    };
    const get = async (path: string, init?: RequestInit) => {
      const res = await runtime.fetch(path, init);
      const text = await res.text();
      let body: any = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, headers: res.headers, body };
    };
    const json = (method: string, body: unknown): RequestInit => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    beforeAll(async () => {
      runtime = await target.start({ NITRO_GREETING: `Hello from ${target.name}` });
    }, 90_000);
    afterAll(async () => {
      await runtime?.kill();
    }, 30_000);

    it("answers a JSON route, with runtime config from the runtime's environment", async () => {
      const { status, headers, body } = await get("/api/hello");
      expect(status).toBe(200);
      expect(headers.get("content-type")).toMatch(/application\/json/);
      expect(body).toEqual({ message: `Hello from ${target.name}`, runtime: expectedRuntime });
    });

    it("routes params and reads a POST body", async () => {
      expect((await get("/api/users/42")).body).toEqual({ id: "42" });
      expect(await get("/api/echo", json("POST", { name: "Ada", tags: ["x"] }))).toMatchObject({ status: 200, body: { received: { name: "Ada", tags: ["x"] } } });
    });

    it("adds a headers rule's headers to a JSON answer, each answer with headers of its own", async () => {
      const [first, second] = await Promise.all([get("/api/users/1"), get("/api/users/2")]);
      for (const { headers } of [first, second]) {
        expect(headers.get("content-type")).toBe("application/json;charset=UTF-8");
        expect(headers.get("x-served-by")).toBe("portable");
      }
      expect((await get("/api/hello")).headers.get("x-served-by")).toBeNull();
    });

    // A server option of Node, Bun and Deno (workerd and the platform handlers get the client from their platform).
    (target.name === "workerd" ? it.skip : needs("socket"))("takes the client's IP, protocol and host from X-Forwarded-* sent by a trusted proxy (trustProxy)", async () => {
      const headers = { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example.com" };
      expect((await get("/api/whoami", { headers })).body).toEqual({ ip: "203.0.113.9", url: "https://shop.example.com/api/whoami" });
      expect((await get("/api/whoami")).body).toMatchObject({ ip: expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/), url: `${address()}/api/whoami` });
    });

    it("answers 404, 405 and thrown errors as JSON, without leaking an unhandled error's message", async () => {
      expect(await get("/nope")).toMatchObject({ status: 404, body: { status: 404 } });
      const wrongMethod = await get("/api/hello", { method: "DELETE" });
      expect(wrongMethod).toMatchObject({ status: 405, body: { status: 405 } });
      expect(await get("/api/echo", json("POST", "just a string"))).toMatchObject({ status: 400, body: { status: 400, message: "Send a JSON object." } });
      const failed = await get("/api/fail");
      expect(failed).toMatchObject({ status: 500, body: { status: 500, message: "Internal Server Error" } });
      expect(JSON.stringify(failed.body)).not.toContain("hunter2");
      expect(failed.body.stack).toBeUndefined();
    });

    it("refuses a body over maxRequestBodySize with 413 JSON", async () => {
      const tooBig = await get("/api/echo", json("POST", { data: "x".repeat(1024 * 1024) }));
      expect(tooBig).toMatchObject({ status: 413, body: { status: 413 } });
    });

    needs("socket")("refuses a declared body over the limit with 413 before it arrives, and goes on serving", async () => {
      const { port, hostname } = new URL(address());
      const refused = await exchange(
        Number(port),
        `POST /api/echo HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n`,
        "0123456789",
        // Bun refuses it natively and may keep the connection: the Node-specific close is proven in test/adapters/node/body-limit.test.ts.
        { host: hostname, waitForClose: false },
      );
      expect(refused.status).toBe(413);
      expect((await get("/api/hello")).status).toBe(200);
    });

    it("applies the production rules: compression the runtime has, ETag/304, security and rate limit headers", async () => {
      const { request } = await import("undici");
      const { brotliDecompressSync, gunzipSync } = await import("node:zlib");
      const expected = { rows: Array.from({ length: 120 }, (_, id) => ({ id, label: `row ${id}`, runtime: expectedRuntime })) };
      // The bytes as sent, with their encoding: undici's request() over a port does not decode them,
      // and an in-process platform handler's response never was encoded for a network.
      const rawGet = async (headers: Record<string, string>) => {
        if (!runtime.base) {
          const res = await runtime.fetch("/api/report", { headers });
          return { encoding: res.headers.get("content-encoding") ?? undefined, bytes: Buffer.from(await res.arrayBuffer()) };
        }
        const raw = await request(`${runtime.base}/api/report`, { headers });
        return { encoding: raw.headers["content-encoding"] as string | undefined, bytes: Buffer.from(await raw.body.arrayBuffer()) };
      };
      for (const [encoding, decode] of [["gzip", gunzipSync], ["br", brotliDecompressSync]] as const) {
        const raw = await rawGet({ "accept-encoding": encoding });
        // Without node:zlib (workerd) brotli is not offered: the body comes as it is.
        if (raw.encoding === undefined && encoding === "br") {
          expect(JSON.parse(raw.bytes.toString())).toEqual(expected);
          continue;
        }
        expect(raw.encoding).toBe(encoding);
        expect(JSON.parse(decode(raw.bytes).toString())).toEqual(expected);
      }
      const first = await runtime.fetch("/api/report");
      expect(first.headers.get("x-content-type-options")).toBe("nosniff");
      expect(first.headers.get("ratelimit-policy")).toBe('"default";q=1000;w=60');
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^W\//);
      await first.arrayBuffer();
      expect((await runtime.fetch("/api/report", { headers: { "if-none-match": etag! } })).status).toBe(304);
    });

    it("writes storage and reads it back", async () => {
      const value = { v: `${Date.now()}-${Math.random()}` };
      expect(await get("/api/kv/k1", json("PUT", value))).toMatchObject({ status: 200, body: { stored: true } });
      expect((await get("/api/kv/k1")).body).toEqual({ value });
    });

    it("serves a cached route from the cache on the second call", async () => {
      const first = await get("/api/cached");
      const second = await get("/api/cached");
      expect(first.headers.get("x-cache")).toBe("MISS");
      expect(second.headers.get("x-cache")).toBe("HIT");
      expect(second.body).toEqual(first.body);
    });

    it("queries the runtime's default SQLite", async () => {
      const first = await get("/api/visits", { method: "POST" });
      expect(first).toMatchObject({ status: 200, body: { visits: 1 } });
      expect((await get("/api/visits", { method: "POST" })).body.visits).toBe(2);
    });

    it("keeps background work (waitUntil) alive after the response", async () => {
      const token = Math.random().toString(36).slice(2);
      expect((await get(`/api/background?token=${token}`, { method: "POST" })).body).toEqual({ accepted: token });
      const { body } = await eventually(() => get("/api/background"), (res) => res.body.last?.token === token);
      expect(body.last).toEqual({ token });
    });

    needs("scheduler")("runs the scheduled task on its trigger", async () => {
      if (runtime.triggerCron) {
        // Workers: the platform fires the cron trigger; the app arms no timers.
        const scheduledTime = Date.UTC(2030, 0, 1, 0, 5);
        expect((await runtime.triggerCron("*/5 * * * *", scheduledTime)).outcome).toBe("ok");
        expect((await get("/api/ticks")).body.last).toEqual({ count: 1, scheduledTime });
      } else {
        // The app's own scheduler, every second here (PORTABLE_TICK_CRON).
        const { body } = await eventually(() => get("/api/ticks"), (res) => res.body.last?.count >= 1);
        expect(body.last.count).toBeGreaterThanOrEqual(1);
        expect(body.last.scheduledTime % 1000).toBe(0);
      }
    });

    it("runs the scheduled task on demand", async () => {
      const before = (await get("/api/ticks")).body.last?.count ?? 0;
      const ran = await get("/api/ticks", { method: "POST" });
      expect(ran.status).toBe(200);
      expect(ran.body.result.count).toBeGreaterThan(before);
    });

    it("refuses a plain request to the WebSocket route with 426 JSON", async () => {
      expect(await get("/_ws")).toMatchObject({ status: 426, body: { status: 426 } });
    });

    needs("websocket")("echoes over a WebSocket and closes 1009 on a message over the limit", async () => {
      const client = await connect(`${address().replace("http", "ws")}/_ws`);
      expect(await client.next((message) => message.welcome)).toMatchObject({ welcome: expectedRuntime });
      client.ws.send(JSON.stringify({ ping: 1 }));
      expect(await client.next((message) => message.ping)).toEqual({ ping: 1 });
      client.ws.send("x".repeat(1024 * 1024 + 1));
      expect((await client.closed).code).toBe(1009);
    });

    needs("websocket")("runs middleware once per upgrade and gives the peer the event's context", async () => {
      const url = `${address().replace("http", "ws")}/_ws`;
      const first = await connect(url);
      const { request } = await first.next((message) => message.welcome);
      const second = await connect(url);
      expect(await second.next((message) => message.welcome)).toMatchObject({ request: request + 1 });
      first.ws.close();
      second.ws.close();
      await Promise.all([first.closed, second.closed]);
    });

    needs("shutdown")("stops gracefully: requests in flight finish, WebSocket peers get 1001", async () => {
      const base = address();
      const client = await connect(`${base.replace("http", "ws")}/_ws`);
      await client.next((message) => message.welcome);
      if (!runtime.triggerCron) {
        const slow = fetch(`${base}/api/slow?ms=1000`).then(async (res) => ({ status: res.status, body: await res.json() }));
        await sleep(300);
        const stopped = runtime.stop();
        expect(await slow).toEqual({ status: 200, body: { waited: 1000 } });
        expect((await client.closed).code).toBe(1001);
        expect(await stopped).toEqual({ code: 0, signal: null });
      } else {
        // miniflare's dispose() ends workerd; a worker has no shutdown of its own to run.
        await runtime.stop();
        await client.closed;
      }
      await expect(fetch(`${base}/api/hello`)).rejects.toThrow();
    }, 30_000);
  });
}
