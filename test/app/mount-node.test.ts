import { createServer } from "node:http";
import express from "express";
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { request, serveOnLoopback } from "../helpers.js";

const postJSON = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("app.mount() with Node.js-style apps", () => {
  const apps: NitroApp[] = [];
  const servers: NitroNodeServer[] = [];
  const closers: Array<() => Promise<unknown>> = [];

  function createApp(): NitroApp {
    const app = createNitroApp();
    apps.push(app);
    return app;
  }

  async function serve(app: NitroApp): Promise<string> {
    const { server, base } = await serveOnLoopback(app);
    servers.push(server);
    return base;
  }

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  function createExpress() {
    const legacy = express();
    legacy.use(express.json());
    legacy.post("/echo", (req, res) => {
      res.json({ from: "express", body: req.body, url: req.url });
    });
    legacy.get("/hello", (req, res) => {
      res.set("x-from", "express").send(`hello ${String(req.query.name)}`);
    });
    legacy.get("/boom", () => {
      throw new Error("express route failed");
    });
    return legacy;
  }

  it("serves an Express app under a prefix over real HTTP, JSON body included", async () => {
    const app = createApp();
    app.get("/api/hello", defineHandler(() => ({ from: "nitrokit" })));
    app.mount("/legacy", createExpress());
    const base = await serve(app);

    const echo = await fetch(`${base}/legacy/echo`, postJSON({ n: 1, list: [1, 2] }));
    expect(echo.status).toBe(200);
    expect(await echo.json()).toEqual({ from: "express", body: { n: 1, list: [1, 2] }, url: "/echo" });

    const hello = await fetch(`${base}/legacy/hello?name=ada`);
    expect(hello.headers.get("x-from")).toBe("express");
    expect(await hello.text()).toBe("hello ada");
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ from: "nitrokit" });
  });

  it("hands a path Express has no route for on to the app's 404, and an Express error to the app's 500", async () => {
    const errors: unknown[] = [];
    const app = createApp();
    app.hooks.hook("error", (error) => {
      errors.push(error);
    });
    app.mount("/legacy", createExpress());
    const base = await serve(app);

    const missing = await fetch(`${base}/legacy/missing`, { headers: { accept: "application/json" } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });

    const failed = await fetch(`${base}/legacy/boom`, { headers: { accept: "application/json" } });
    expect(failed.status).toBe(500);
    const body = (await failed.json()) as { message: string };
    expect(body.message).not.toContain("express route failed");
    expect(errors.some((error) => error instanceof Error && error.message === "express route failed")).toBe(true);
  });

  it("serves an Express app in-process (app.fetch) with its JSON body", async () => {
    const app = createApp();
    app.mount("/legacy", createExpress());
    const echo = await request(app, "/legacy/echo", postJSON({ inProcess: true }));
    expect(await echo.json()).toEqual({ from: "express", body: { inProcess: true }, url: "/echo" });
  });

  it("serves fastify.routing mounted at a prefix over real HTTP, JSON body included", async () => {
    const fastify = Fastify();
    fastify.post("/echo", async (req) => ({ from: "fastify", body: req.body, url: req.url }));
    fastify.get("/hello", async () => ({ hello: "fastify" }));
    await fastify.ready();
    closers.push(() => fastify.close());

    const app = createApp();
    app.mount("/fastify", fastify.routing);
    const base = await serve(app);

    const echo = await fetch(`${base}/fastify/echo`, postJSON({ deep: { x: [1] } }));
    expect(echo.status).toBe(200);
    expect(await echo.json()).toEqual({ from: "fastify", body: { deep: { x: [1] } }, url: "/echo" });
    expect(await (await fetch(`${base}/fastify/hello`)).json()).toEqual({ hello: "fastify" });
  });

  it("serves a plain (req, res, next) function and an Express app mounted at / as the fallback", async () => {
    const app = createApp();
    app.get("/api/hello", defineHandler(() => ({ from: "nitrokit" })));
    app.mount("/plain", (req: { url?: string; method?: string }, res: { end(body: string): void }, next: () => void) => {
      if (req.url === "/skip") return next();
      res.end(`${req.method} ${req.url}`);
    });
    app.mount("/", createExpress());
    const base = await serve(app);

    expect(await (await fetch(`${base}/plain/x?y=1`)).text()).toBe("GET /x?y=1");
    expect((await fetch(`${base}/plain/skip`)).status).toBe(404);
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ from: "nitrokit" });
    expect(await (await fetch(`${base}/hello?name=root`)).text()).toBe("hello root");
  });

  it("answers 413 to a body over maxRequestBodySize, declared or chunked, in-process and over HTTP", async () => {
    const fastify = Fastify();
    fastify.post("/echo", async (req) => ({ body: req.body }));
    await fastify.ready();
    closers.push(() => fastify.close());
    const app = createNitroApp({ maxRequestBodySize: 100 });
    apps.push(app);
    const legacy = express();
    legacy.use(express.json({ limit: "10mb" }));
    legacy.post("/echo", (req, res) => void res.json({ body: req.body }));
    app.mount("/legacy", legacy);
    app.mount("/fastify", fastify.routing);
    const big = JSON.stringify({ x: "a".repeat(500) });

    for (const prefix of ["/legacy", "/fastify"]) {
      const inProcess = await request(app, `${prefix}/echo`, postJSON({ x: "a".repeat(500) }));
      expect(inProcess.status).toBe(413);
    }
    const base = await serve(app);
    for (const prefix of ["/legacy", "/fastify"]) {
      expect((await fetch(`${base}${prefix}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: big })).status).toBe(413);
      // Chunked: no Content-Length, the limit is found while streaming.
      const stream = new Blob([big]).stream();
      const chunked = await fetch(`${base}${prefix}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
      expect(chunked.status).toBe(413);
      // A body within the limit still arrives whole.
      expect(await (await fetch(`${base}${prefix}/echo`, postJSON({ ok: 1 }))).json()).toEqual({ body: { ok: 1 } });
    }
  });

  it("refuses at registration what cannot serve requests, naming the wrapper", async () => {
    const app = createApp();
    expect(() => app.mount("/x", { name: "not an app" } as never)).toThrow(TypeError);
    expect(() => app.mount("/x", { name: "not an app" } as never)).toThrow(/toFetchHandler.*srvx\/node/);
    expect(() => app.mount("/x", 42 as never)).toThrow(/app\.mount\("\/x", app\): expected an H3 app/);
    expect(() => app.mount("/x", createServer() as never)).toThrow(TypeError);

    const fastify = Fastify();
    closers.push(() => fastify.close());
    expect(() => app.mount("/f", fastify as never)).toThrow(/Fastify instance: pass `fastify\.routing` after `await fastify\.ready\(\)`/);
    expect(() => app.mount("no-slash", express())).toThrow(/base must start with '\/'/);
  });
});
