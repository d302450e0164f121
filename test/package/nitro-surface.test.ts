import { describe, expect, it } from "vitest";
import * as root from "nitrokit";
import * as configEntry from "nitrokit/config";
import * as appEntry from "nitrokit/app";
import { useRequest } from "nitrokit/context";
import * as h3 from "nitrokit/h3";
import { defineNitroConfig, defineNitroErrorHandler, type NitroApp } from "../../src/index.js";
import { appsClosedAfterEach, request, serveOnLoopback } from "../helpers.js";

const createApp = appsClosedAfterEach();
const { defineHandler, HTTPError, HTTPResponse, html } = root;
const { fetch: appFetch, serverFetch, useNitroApp, useNitroHooks } = appEntry;

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "TCPServerWrap" || kind === "TCPSocketWrap").length;
}

describe("the root entry, as Nitro 3's `nitro`", () => {
  it("re-exports h3's helpers themselves, not wrappers", () => {
    for (const name of ["defineHandler", "defineMiddleware", "defineWebSocketHandler", "html", "HTTPError", "HTTPResponse"] as const) {
      expect(root[name], name).toBe(h3[name]);
    }
  });

  it("exports every name Nitro 3's root exports", () => {
    const nitroRoot = ["defineConfig", "definePlugin", "defineRouteMeta", "defineErrorHandler", "defineHandler", "defineMiddleware",
      "defineWebSocketHandler", "html", "HTTPError", "HTTPResponse", "serverFetch", "fetch"];
    for (const name of nitroRoot) expect(typeof (root as Record<string, unknown>)[name], name).toBe("function");
    expect(root.serverFetch).toBe(appEntry.serverFetch);
    expect(root.fetch).toBe(appEntry.fetch);
  });

  it("defineConfig is defineNitroConfig, from nitrokit and nitrokit/config", () => {
    expect(root.defineConfig).toBe(defineNitroConfig);
    expect(configEntry.defineConfig).toBe(defineNitroConfig);
    const config = { runtimeConfig: { apiSecret: "dev" } };
    expect(root.defineConfig(config)).toBe(config);
  });

  it("defineErrorHandler is defineNitroErrorHandler, and its handler answers the app's errors", async () => {
    expect(root.defineErrorHandler).toBe(defineNitroErrorHandler);
    const app = createApp({
      errorHandler: root.defineErrorHandler((error) => (error.status === 404 ? new Response("Nothing here", { status: 404 }) : undefined)),
    });
    const res = await request(app, "/nowhere");
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("Nothing here");
  });

  it("serves handlers written with the root's imports: html, HTTPError, HTTPResponse", async () => {
    const app = createApp();
    app.get("/page", defineHandler(() => html`<h1>${"<hi>"}</h1>`));
    app.get("/teapot", defineHandler(() => {
      throw new HTTPError({ status: 418, message: "I'm a teapot" });
    }));
    app.get("/created", defineHandler(() => new HTTPResponse("made", { status: 201, headers: { "x-made": "yes" } })));
    const page = await request(app, "/page");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toBe("<h1>&lt;hi&gt;</h1>");
    const teapot = await request(app, "/teapot");
    expect(teapot.status).toBe(418);
    expect(await teapot.json()).toMatchObject({ status: 418, message: "I'm a teapot" });
    const created = await request(app, "/created");
    expect([created.status, created.headers.get("x-made"), await created.text()]).toEqual([201, "yes", "made"]);
  });
});

describe("nitrokit/app, as Nitro 3's `nitro/app`", () => {
  it("useNitroApp and useNitroHooks give the current app and its hooks", async () => {
    const app = createApp();
    let seen: { app?: NitroApp; hooks?: unknown } = {};
    app.plugin(() => void (seen = { app: useNitroApp(), hooks: useNitroHooks() }));
    await app.ready();
    expect(seen.app).toBe(app);
    expect(seen.hooks).toBe(app.hooks);
    expect(useNitroApp).toBe(root.useNitroApp);
  });

  it("serverFetch and fetch answer a path with a Response in-process, opening no socket", async () => {
    const app = createApp();
    app.post("/api/echo", defineHandler(async (event) => ({ got: await event.req.json(), tenant: event.context.tenant ?? null })));
    await app.ready();
    const before = tcpHandles();
    const viaServerFetch = await serverFetch("/api/echo", { method: "POST", body: JSON.stringify({ a: 1 }) });
    expect(viaServerFetch).toBeInstanceOf(Response);
    expect([viaServerFetch.status, await viaServerFetch.json()]).toEqual([200, { got: { a: 1 }, tenant: null }]);
    // Nitro's third argument seeds the request's context.
    const viaFetch = await appFetch("/api/echo", { method: "POST", body: "[2]" }, { tenant: "acme" });
    expect(await viaFetch.json()).toEqual({ got: [2], tenant: "acme" });
    // A URL or a Request given to serverFetch is served by the app too.
    expect((await serverFetch(new URL("http://example.test/api/echo"), { method: "POST", body: "3" })).status).toBe(200);
    expect((await serverFetch(new Request("http://localhost/nowhere"))).status).toBe(404);
    expect(tcpHandles()).toBe(before);
  });

  it("fetch sends anything but a path to the network", async () => {
    const upstream = createApp();
    upstream.get("/remote", defineHandler(() => ({ from: "network" })));
    const { server, base } = await serveOnLoopback(upstream);
    try {
      const res = await appFetch(`${base}/remote`);
      expect(await res.json()).toEqual({ from: "network" });
      expect(await (await appFetch(new URL(`${base}/remote`))).json()).toEqual({ from: "network" });
    } finally {
      await server.close();
    }
  });

  it("resolves to the app serving the current request when several apps share the process", async () => {
    const a = createApp({ runtimeConfig: { name: "a" } });
    const b = createApp({ runtimeConfig: { name: "b" } });
    for (const app of [a, b]) {
      app.get("/name", defineHandler(() => useNitroApp().runtimeConfig.name as string));
      app.get("/relay", defineHandler(async () => `relayed ${await (await serverFetch("/name")).text()}`));
    }
    expect(await (await request(a, "/relay")).text()).toBe("relayed a");
    expect(await (await request(b, "/relay")).text()).toBe("relayed b");
    // Outside any request with two apps, there is no current app to guess.
    await expect(serverFetch("/name")).rejects.toThrow(/2 apps exist, so the app is ambiguous/);
  });

  it("refuses input that is neither a path, an absolute URL nor a Request", async () => {
    createApp();
    await expect(serverFetch("api/hello")).rejects.toThrow(/serverFetch\(\) expects a path starting with "\/".*got "api\/hello"/);
    await expect(appFetch(42 as never)).rejects.toThrow(/fetch\(\) expects a path starting with "\/".*got number/);
  });

  it("a handler returning fetch()'s or $fetch.raw()'s response sends it whole over HTTP, socket intact", async () => {
    const app = createApp();
    app.get("/api/data", defineHandler(() => ({ hello: "world" })));
    app.get("/api/teapot", defineHandler((event) => {
      event.res.status = 418;
      event.res.headers.set("x-brew", "green");
      return { tea: true };
    }));
    app.get("/api/text", defineHandler(() => "plain text body"));
    app.get("/via/fetch", defineHandler(() => appFetch("/api/teapot")));
    app.get("/via/server-fetch", defineHandler(() => serverFetch("/api/data")));
    app.get("/via/raw", defineHandler(() => app.$fetch.raw("/api/teapot", { ignoreResponseError: true })));
    app.get("/via/ambient-raw", defineHandler(() => root.$fetch.raw("/api/text")));
    app.get("/via/raw-data", defineHandler(async () => ({ parsed: (await root.$fetch.raw<{ hello: string }>("/api/data"))._data })));
    const { server, base } = await serveOnLoopback(app);
    try {
      const answers = [];
      for (const path of ["/via/fetch", "/via/server-fetch", "/via/raw", "/via/ambient-raw", "/via/raw-data"]) {
        const res = await globalThis.fetch(base + path);
        answers.push([path, res.status, res.headers.get("x-brew"), await res.text()]);
      }
      expect(answers).toEqual([
        ["/via/fetch", 418, "green", '{"tea":true}'],
        ["/via/server-fetch", 200, null, '{"hello":"world"}'],
        ["/via/raw", 418, "green", '{"tea":true}'],
        ["/via/ambient-raw", 200, null, "plain text body"],
        ["/via/raw-data", 200, null, '{"parsed":{"hello":"world"}}'],
      ]);
    } finally {
      await server.close();
    }
  });

  it("$fetch.raw still parses _data, with the body left readable", async () => {
    const app = createApp();
    app.get("/api/data", defineHandler(() => ({ hello: "world" })));
    const raw = await app.$fetch.raw<{ hello: string }>("/api/data");
    expect(raw._data).toEqual({ hello: "world" });
    expect(raw.bodyUsed).toBe(false);
    expect(await raw.json()).toEqual({ hello: "world" });
  });
});

describe("nitrokit/context, as Nitro 3's `nitro/context`", () => {
  it("useRequest() gives the request being served, with experimental.asyncContext", async () => {
    const app = createApp({ experimental: { asyncContext: true } });
    app.get("/whoami", defineHandler(async () => {
      await Promise.resolve();
      const req = useRequest();
      return { method: req.method, path: new URL(req.url).pathname, agent: req.headers.get("user-agent"), ip: req.ip ?? null };
    }));
    expect(await (await request(app, "/whoami", { headers: { "user-agent": "probe" } })).json()).toEqual({
      method: "GET",
      path: "/whoami",
      agent: "probe",
      ip: null,
    });
    const { server, base } = await serveOnLoopback(app);
    try {
      const res = await globalThis.fetch(`${base}/whoami`, { headers: { "user-agent": "over-http" } });
      expect(await res.json()).toMatchObject({ method: "GET", path: "/whoami", agent: "over-http", ip: expect.stringMatching(/127\.0\.0\.1/) });
    } finally {
      await server.close();
    }
  });

  it("throws an HTTPError (500) naming experimental.asyncContext when there is no request scope", async () => {
    const app = createApp();
    let thrown: unknown;
    app.get("/whoami", defineHandler(() => {
      try {
        useRequest();
      } catch (error) {
        thrown = error;
      }
      return "checked";
    }));
    await request(app, "/whoami");
    expect(thrown).toBeInstanceOf(HTTPError);
    expect((thrown as { status: number }).status).toBe(500);
    expect((thrown as Error).message).toMatch(/useRequest\(\).*experimental: \{ asyncContext: true \}/);
    expect(() => useRequest()).toThrow(/no request is being served here/);
  });
});
