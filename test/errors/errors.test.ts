import { afterEach, describe, expect, it, vi } from "vitest";
import { createNitroApp, defineNitroErrorHandler, type NitroApp } from "../../src/index.js";
import { createError, defineHandler, HTTPError, readBody, setResponseHeader } from "../../src/h3.js";
import { json, request } from "../helpers.js";

const apps: NitroApp[] = [];
function makeApp(config: Parameters<typeof createNitroApp>[0] = {}): NitroApp {
  const app = createNitroApp(config);
  app.get("/boom", () => {
    throw new Error("secret-db-password at /srv/app/db.js:12");
  });
  app.get("/teapot", () => {
    throw createError({ statusCode: 418, statusMessage: "I'm a teapot", message: "No coffee here", data: { brew: "tea" } });
  });
  app.get("/auth", (event) => {
    // h3 v2 keeps success headers and error headers apart: only errHeaders reach an error response.
    setResponseHeader(event, "x-success-only", "dropped");
    event.res.errHeaders.set("www-authenticate", "Bearer");
    throw new HTTPError({ status: 401, message: "Token required" });
  });
  app.post("/echo", defineHandler(async (event) => ({ body: await readBody(event) })));
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  vi.restoreAllMocks();
});

const securityHeaders = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};

describe("error responses", () => {
  it("turns createError into status + Nitro's JSON { error, status, statusText, message, data }", async () => {
    const res = await request(makeApp(), "/teapot");
    expect(res.status).toBe(418);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: true, status: 418, statusText: "I'm a teapot", message: "No coffee here", data: { brew: "tea" } });
  });

  it("leaves statusText out when the error has none, as h3's toJSON() does", async () => {
    const res = await request(makeApp(), "/auth");
    expect(await res.json()).toEqual({ error: true, status: 401, message: "Token required" });
    expect(res.statusText).toBe("Unauthorized");
  });

  it("merges an HTTPError's body option into the JSON, without changing error or status", async () => {
    const app = makeApp();
    app.get("/quota", () => {
      throw new HTTPError({ status: 429, message: "Slow down", data: { limit: 10 }, body: { retryAfter: 30, code: "RATE_LIMITED", status: 200, error: false } });
    });
    const res = await request(app, "/quota");
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: true, status: 429, message: "Slow down", data: { limit: 10 }, retryAfter: 30, code: "RATE_LIMITED" });
  });

  it("hides an unhandled error's message and stack in production, but logs it", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await request(makeApp(), "/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: true, status: 500, unhandled: true, message: "Internal Server Error" });
    expect(text).not.toMatch(/secret|db\.js/);
    expect(String(log.mock.calls[0]?.[0])).toMatch(/GET \/boom/);
  });

  it("answers an unexpected error with 500 even when it carries another status, and drops its headers", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp();
    app.get("/upstream", () => {
      // e.g. a fetch client's error: not an HTTPError thrown on purpose.
      throw Object.assign(new Error("upstream said 404 for /internal/users?key=s3cr3t"), { statusCode: 404, headers: { "x-internal": "1" } });
    });
    const res = await request(app, "/upstream");
    expect(res.status).toBe(500);
    expect(res.headers.get("x-internal")).toBeNull();
    expect(await res.json()).toEqual({ error: true, status: 500, unhandled: true, message: "Internal Server Error" });
  });

  it("shows message and stack with dev: true", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const body = await (await request(makeApp({ dev: true }), "/boom")).json();
    expect(body).toMatchObject({ error: true, status: 500, unhandled: true });
    expect(body.message).toMatch(/secret-db-password/);
    expect(Array.isArray(body.stack)).toBe(true);
  });

  it("sends security headers and keeps headers the handler prepared", async () => {
    const res = await request(makeApp(), "/auth");
    expect(res.status).toBe(401);
    for (const [name, value] of Object.entries(securityHeaders)) expect(res.headers.get(name)).toBe(value);
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.headers.get("x-success-only")).toBeNull();
  });

  it("answers browsers with a small escaped HTML page", async () => {
    const app = makeApp();
    app.get("/xss", () => {
      throw createError({ statusCode: 400, message: "<script>alert(1)</script>" });
    });
    const res = await request(app, "/xss", { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<h1>400<\/h1>/);
    expect(html).not.toMatch(/<script>/);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });

  it("404 for an unknown path, naming the path only", async () => {
    const res = await request(makeApp(), "/nope?token=abc");
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.message).toBe("Cannot find any route matching [GET] /nope");
  });

  it("405 with Allow for a known path and another method", async () => {
    const res = await request(makeApp(), "/echo", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    const get = await request(makeApp(), "/boom", { method: "PUT" });
    expect(get.headers.get("allow")).toBe("GET, HEAD");
  });

  it("400 for malformed JSON, 413 over the body limit; the app keeps serving", async () => {
    const app = makeApp({ maxRequestBodySize: 1024 });
    const bad = await request(app, "/echo", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    const big = await request(app, "/echo", json({ pad: "x".repeat(2048) }));
    expect(big.status).toBe(413);
    expect((await big.json()).status).toBe(413);
    // A streamed body with no Content-Length is cut off the same way.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"pad":"${"y".repeat(4096)}"}`));
        controller.close();
      },
    });
    const streamed = await request(app, "/echo", { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    const ok = await request(app, "/echo", json({ small: true }));
    expect(await ok.json()).toEqual({ body: { small: true } });
  });

  it("defaults the body limit to 1 MiB", async () => {
    const app = makeApp();
    expect((await request(app, "/echo", json({ pad: "x".repeat(1024 * 1024) }))).status).toBe(413);
    expect((await request(app, "/echo", json({ pad: "x".repeat(1000 * 1000) }))).status).toBe(200);
  });
});

describe("custom error handlers", () => {
  it("tries each handler in order; the first Response wins, else the default", async () => {
    const calls: string[] = [];
    const app = makeApp({
      errorHandler: [
        defineNitroErrorHandler((error) => {
          calls.push(`first:${error.status}`);
        }),
        defineNitroErrorHandler((error, _event, { defaultHandler }) => {
          calls.push(`second:${error.status}`);
          if (error.status === 418) return new Response("custom teapot", { status: 418 });
          if (error.status === 401) {
            // Nitro 3's defaultHandler: the default answer's parts, to build a Response from.
            const { body, ...init } = defaultHandler(error, _event, { json: true });
            init.headers.set("x-handled", "default");
            return new Response(JSON.stringify({ ...(body as object), handled: true }), init);
          }
        }),
      ],
    });
    expect(await (await request(app, "/teapot")).text()).toBe("custom teapot");
    const auth = await request(app, "/auth");
    expect(auth.status).toBe(401);
    expect(auth.headers.get("x-handled")).toBe("default");
    expect(auth.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await auth.json()).toMatchObject({ error: true, status: 401, handled: true });
    expect((await request(app, "/nope")).status).toBe(404);
    expect(calls).toEqual(["first:418", "second:418", "first:401", "second:401", "first:404", "second:404"]);
  });

  it("falls back to the default response when a custom handler throws", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp({
      errorHandler: () => {
        throw new Error("handler bug");
      },
    });
    const res = await request(app, "/teapot");
    expect(res.status).toBe(418);
    expect((await res.json()).message).toBe("No coffee here");
  });
});
