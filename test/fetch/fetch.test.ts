import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { $fetch, createNitroApp, type NitroApp } from "../../src/index.js";
import { createError, defineHandler, getQuery, readBody } from "../../src/h3.js";

const apps: NitroApp[] = [];
function makeApp(): NitroApp {
  const app = createNitroApp();
  app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params?.id, query: getQuery(event) })));
  app.post("/api/users", defineHandler(async (event) => ({ created: await readBody(event) })));
  app.get("/api/missing", () => {
    throw createError({ statusCode: 404, message: "No such user" });
  });
  app.get("/api/aggregate", defineHandler(async () => {
    // Nitro's ambient $fetch: no import, served by the app handling this request.
    const user = await globalThis.$fetch<{ userId: string }>("/api/users/42");
    return { aggregated: user.userId };
  }));
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "TCPServerWrap" || kind === "TCPSocketWrap").length;
}

describe("$fetch", () => {
  it("calls routes in-process with JSON parsing, query and body handling, opening no socket", async () => {
    const app = makeApp();
    await app.ready();
    const before = tcpHandles();
    expect(await app.$fetch("/api/users/7", { query: { tab: "profile" } })).toEqual({ userId: "7", query: { tab: "profile" } });
    expect(await app.$fetch("/api/users", { method: "POST", body: { name: "Jane" } })).toEqual({ created: { name: "Jane" } });
    expect(tcpHandles()).toBe(before);
  });

  it("throws ofetch's FetchError with the status and error body", async () => {
    const app = makeApp();
    const error = await app.$fetch("/api/missing").catch((e: unknown) => e as { statusCode: number; data: { message: string } });
    expect(error.statusCode).toBe(404);
    expect(error.data.message).toBe("No such user");
  });

  it("offers raw responses and created instances", async () => {
    const app = makeApp();
    const raw = await app.$fetch.raw("/api/users/1");
    expect(raw.status).toBe(200);
    expect(raw._data).toMatchObject({ userId: "1" });
    const api = app.$fetch.create({ baseURL: "/api" });
    expect(await api("/users/9")).toMatchObject({ userId: "9" });
  });

  it("serves the ambient $fetch from the app handling the request", async () => {
    const a = makeApp();
    const b = createNitroApp();
    apps.push(b);
    b.get("/api/users/:id", () => ({ userId: "from-b" }));
    b.get("/api/aggregate", defineHandler(async () => ({ aggregated: (await $fetch<{ userId: string }>("/api/users/1")).userId })));
    expect(await a.$fetch("/api/aggregate")).toEqual({ aggregated: "42" });
    expect(await b.$fetch("/api/aggregate")).toEqual({ aggregated: "from-b" });
  });

  it("sends absolute URLs to the network", async () => {
    const upstream = http.createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ upstream: true }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = upstream.address() as AddressInfo;
      expect(await makeApp().$fetch(`http://127.0.0.1:${port}/anything`)).toEqual({ upstream: true });
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
