import { createServer, type Server } from "node:http";
import express from "express";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../../src/index.js";
import { defineHandler, getQuery, getRouterParam, readBody } from "../../../src/h3.js";
import { toNodeHandler, toNodeMiddleware } from "../../../src/adapters/node.js";
import { closeServer, listen } from "../../fixtures/http.js";

function createTestApp(): NitroApp {
  const app = createNitroApp({ maxRequestBodySize: 1024 });
  app.get("/api/hello", defineHandler(() => ({ message: "Hello from nitrokit" })));
  app.get("/api/users/:id", defineHandler((event) => ({ id: getRouterParam(event, "id"), query: getQuery(event) })));
  app.post("/api/echo", defineHandler(async (event) => ({ received: await readBody(event) })));
  app.get("/api/node", defineHandler((event) => ({ hasNodeReq: event.runtime?.node?.req !== undefined, url: event.node?.req.url })));
  return app;
}

describe("toNodeMiddleware() in Express 5", () => {
  let app: NitroApp;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    app = createTestApp();
    const expressApp = express();
    expressApp.use(toNodeMiddleware(app));
    expressApp.get("/legacy", (_req, res) => {
      res.json({ from: "express" });
    });
    expressApp.post("/legacy/json", express.json(), (req, res) => {
      res.json({ from: "express", body: req.body });
    });
    server = createServer(expressApp);
    base = await listen(server);
  });

  afterEach(async () => {
    await closeServer(server);
    await app.close();
  });

  it("serves the app's routes (JSON, params, query)", async () => {
    const hello = await fetch(`${base}/api/hello`);
    expect(hello.status).toBe(200);
    expect(hello.headers.get("content-type")).toMatch(/^application\/json/);
    expect(hello.headers.get("x-powered-by")).toBe("Express"); // passed through Express on the way
    expect(await hello.json()).toEqual({ message: "Hello from nitrokit" });

    const user = await fetch(`${base}/api/users/7?fields=name`);
    expect(await user.json()).toEqual({ id: "7", query: { fields: "name" } });
  });

  it("reads request bodies (the middleware sits before any Express body parser)", async () => {
    const res = await fetch(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ a: 1 }),
    });
    expect(await res.json()).toEqual({ received: { a: 1 } });

    const tooBig = await fetch(`${base}/api/echo`, { method: "POST", body: "x".repeat(4096) });
    expect(tooBig.status).toBe(413);
  });

  it("hands handlers Express's request as event.node.req", async () => {
    const res = await fetch(`${base}/api/node?x=1`);
    expect(await res.json()).toEqual({ hasNodeReq: true, url: "/api/node?x=1" });
  });

  it("calls next() for paths it has no route for, so Express routes after it still answer", async () => {
    const res = await fetch(`${base}/legacy`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: "express" });

    const json = await fetch(`${base}/legacy/json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kept: true }),
    });
    expect(await json.json()).toEqual({ from: "express", body: { kept: true } });
  });

  it("owns a path written with needless escapes, as h3 routes it", async () => {
    const res = await fetch(`${base}/api/%68ello`);
    expect(await res.json()).toEqual({ message: "Hello from nitrokit" });
  });

  it("leaves unknown paths to Express's own 404", async () => {
    const res = await fetch(`${base}/nowhere`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toContain("Cannot GET /nowhere");
  });

  it("answers a wrong method on one of its paths with its own 405", async () => {
    const res = await fetch(`${base}/api/users/1`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")?.split(/,\s*/).sort()).toEqual(["GET", "HEAD"]);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ status: 405 });
  });
});

describe("toNodeMiddleware() under an Express mount path", () => {
  it("matches its routes against the path Express strips the mount prefix from", async () => {
    const app = createTestApp();
    const expressApp = express();
    expressApp.use("/nitro", toNodeMiddleware(app));
    expressApp.use((req, res) => {
      res.status(404).json({ from: "express", url: req.url });
    });
    const server = createServer(expressApp);
    try {
      const base = await listen(server);
      expect(await (await fetch(`${base}/nitro/api/users/3`)).json()).toEqual({ id: "3", query: {} });
      expect(await (await fetch(`${base}/nitro/api/node`)).json()).toEqual({ hasNodeReq: true, url: "/api/node" });
      const outside = await fetch(`${base}/api/hello`);
      expect(outside.status).toBe(404);
      expect(await outside.json()).toEqual({ from: "express", url: "/api/hello" });
    } finally {
      await closeServer(server);
      await app.close();
    }
  });
});

describe("toNodeHandler() with http.createServer", () => {
  let app: NitroApp;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    app = createTestApp();
    server = createServer(toNodeHandler(app));
    base = await listen(server);
  });

  afterEach(async () => {
    await closeServer(server);
    await app.close();
  });

  it("serves routes, bodies and errors", async () => {
    expect(await (await fetch(`${base}/api/users/abc`)).json()).toEqual({ id: "abc", query: {} });

    const echo = await fetch(`${base}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"b":[1,2]}',
    });
    expect(await echo.json()).toEqual({ received: { b: [1, 2] } });

    const missing = await fetch(`${base}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });

    expect((await fetch(`${base}/api/hello`, { method: "PATCH", body: "x" })).status).toBe(405);
    expect((await fetch(`${base}/api/echo`, { method: "POST", body: "x".repeat(2048) })).status).toBe(413);
    expect((await fetch(`${base}/api/hello`)).status).toBe(200);
  });

  it("answers HEAD on a GET route without a body", async () => {
    const res = await fetch(`${base}/api/hello`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });
});
