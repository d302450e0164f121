/**
 * The `headers` rule keeps h3's (Nitro 3's) semantics while it records headers on the request
 * and adds them to the finished response: they win over the handler's, reach every answer
 * (errors, redirects, proxied and streamed responses, the `response` hook's view), and never
 * leak from one request to the next.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTPError, defineHandler } from "../../src/h3.js";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();
let upstream: Server;
let upstreamURL: string;

beforeAll(async () => {
  upstream = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain", "x-upstream": "yes", "x-rule": "from-upstream" });
    res.end("upstream");
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamURL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

function appWithRules() {
  const app = createApp({
    routeRules: {
      "/api/**": { headers: { "x-rule": "api", "Cache-Control": "no-store" } },
      "/api/deep/**": { headers: { "x-deep": "1" } },
      "/up/**": { headers: { "x-rule": "proxied" }, proxy: `${upstreamURL}/**` },
      "/old": { headers: { "x-rule": "redirect" }, redirect: "/new" },
    },
  });
  app.get("/api/json", defineHandler(() => ({ ok: true })));
  app.get("/api/own", defineHandler((event) => {
    event.res.headers.set("x-rule", "handler");
    event.res.headers.set("x-handler", "kept");
    return "own";
  }));
  app.get("/api/response", defineHandler(() => new Response("plain", { headers: { "x-rule": "response", "content-type": "text/plain" } })));
  app.get("/api/teapot", defineHandler(() => new Response("short", { status: 418 })));
  app.get("/api/fail", defineHandler(() => {
    throw new HTTPError({ status: 409, message: "Conflict here", headers: { "cache-control": "private" } });
  }));
  app.get("/api/crash", defineHandler(() => {
    throw new Error("secret");
  }));
  app.get("/api/deep/x", defineHandler(() => "deep"));
  app.get("/api/stream", defineHandler(() => new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("chunk")); c.close(); } })));
  // Response.redirect() makes a response whose headers cannot change.
  app.get("/api/immutable", defineHandler(() => Response.redirect("http://localhost/elsewhere", 302)));
  app.get("/plain", defineHandler(() => "no rule"));
  return app;
}

describe("the headers route rule", () => {
  it("adds its headers to a JSON answer, over the handler's own, and merges nested rules", async () => {
    const app = appWithRules();
    const json = await request(app, "/api/json");
    expect(json.headers.get("x-rule")).toBe("api");
    expect(json.headers.get("cache-control")).toBe("no-store");
    expect(json.headers.get("content-type")).toContain("application/json");
    expect(await json.json()).toEqual({ ok: true });
    const own = await request(app, "/api/own");
    expect(own.headers.get("x-rule")).toBe("api");
    expect(own.headers.get("x-handler")).toBe("kept");
    const response = await request(app, "/api/response");
    expect(response.headers.get("x-rule")).toBe("api");
    expect(response.headers.get("content-type")).toBe("text/plain");
    const deep = await request(app, "/api/deep/x");
    expect([deep.headers.get("x-rule"), deep.headers.get("x-deep")]).toEqual(["api", "1"]);
    expect((await request(app, "/plain")).headers.get("x-rule")).toBeNull();
  });

  it("reaches error answers, where an HTTPError's own header wins, and never a stack", async () => {
    const app = appWithRules();
    const conflict = await request(app, "/api/fail");
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get("x-rule")).toBe("api");
    expect(conflict.headers.get("cache-control")).toBe("private");
    expect(await conflict.json()).toMatchObject({ status: 409, message: "Conflict here" });
    const crash = await request(app, "/api/crash");
    expect(crash.status).toBe(500);
    expect(crash.headers.get("x-rule")).toBe("api");
    expect(await crash.text()).not.toContain("secret");
    const missing = await request(app, "/api/nothing");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-rule")).toBe("api");
    const teapot = await request(app, "/api/teapot");
    expect([teapot.status, teapot.headers.get("x-rule"), await teapot.text()]).toEqual([418, "api", "short"]);
  });

  it("decorates redirects, proxied responses (whose headers cannot change) and streams", async () => {
    const app = appWithRules();
    const redirect = await request(app, "/old", { redirect: "manual" });
    expect([redirect.status, redirect.headers.get("location"), redirect.headers.get("x-rule")]).toEqual([307, "/new", "redirect"]);
    const proxied = await request(app, "/up/anything");
    expect([proxied.status, proxied.headers.get("x-upstream"), proxied.headers.get("x-rule"), await proxied.text()]).toEqual([200, "yes", "proxied", "upstream"]);
    const stream = await request(app, "/api/stream");
    expect([stream.headers.get("x-rule"), await stream.text()]).toEqual(["api", "chunk"]);
  });

  it("is on the response the `response` hook sees", async () => {
    const app = appWithRules();
    const seen: Array<string | null> = [];
    app.hooks.hook("response", (response) => void seen.push(response.headers.get("x-rule")));
    await request(app, "/api/json");
    await request(app, "/up/x");
    expect(seen).toEqual(["api", "proxied"]);
    // Immutable headers: the hook sees the response as the handler made it, the client gets the rule's header.
    const immutable = await request(app, "/api/immutable", { redirect: "manual" });
    expect([immutable.status, immutable.headers.get("location"), immutable.headers.get("x-rule")]).toEqual([302, "http://localhost/elsewhere", "api"]);
  });

  it("keeps each request's headers to that request, over real HTTP under concurrency", async () => {
    const { serve } = await import("../../src/adapters/node.js");
    const app = appWithRules();
    const server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true });
    await server.ready();
    try {
      const paths = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? "/plain" : i % 3 === 1 ? "/api/json" : "/api/deep/x"));
      const answers = await Promise.all(paths.map((path) => fetch(new URL(path, server.url)).then(async (res) => [path, res.headers.get("x-rule"), res.headers.get("x-deep"), await res.text()] as const)));
      for (const [path, rule, deep] of answers) {
        expect(rule).toBe(path === "/plain" ? null : "api");
        expect(deep).toBe(path === "/api/deep/x" ? "1" : null);
      }
      const head = await fetch(new URL("/api/json", server.url), { method: "HEAD" });
      expect([head.status, head.headers.get("x-rule"), await head.text()]).toEqual([200, "api", ""]);
    } finally {
      await server.close();
    }
  });
});

describe("rules found per route and per method", () => {
  it("a route's own path keeps method-scoped rules apart, and a parameter route's paths keep their own rules", async () => {
    const app = createApp({
      routeRules: {
        "/api/hello": { headers: { "x-any": "1" } },
        "POST /api/hello": { headers: { "x-post": "1" } },
        "/api/users/42": { headers: { "x-user": "42" } },
      },
    });
    app.all("/api/hello", defineHandler(() => ({ ok: true })));
    app.get("/api/users/:id", defineHandler((event) => ({ id: event.context.params?.id })));
    const headersOf = async (path: string, method = "GET") => {
      const response = await request(app, path, { method });
      return { any: response.headers.get("x-any"), post: response.headers.get("x-post"), user: response.headers.get("x-user") };
    };
    for (let round = 0; round < 2; round++) {
      expect(await headersOf("/api/hello")).toEqual({ any: "1", post: null, user: null });
      expect(await headersOf("/api/hello", "POST")).toEqual({ any: "1", post: "1", user: null });
      expect(await headersOf("/api/hello/")).toEqual({ any: "1", post: null, user: null });
      expect(await headersOf("/api/users/42")).toEqual({ any: null, post: null, user: "42" });
      expect(await headersOf("/api/users/7")).toEqual({ any: null, post: null, user: null });
    }
  });
});
