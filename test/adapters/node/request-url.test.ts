/**
 * The URL of a request served by `nitrokit/node` (adapters/node/listener.ts): after the first
 * request with a given `Host`, the listener builds the URL itself instead of asking srvx to check
 * the host again. Every request must still get the URL srvx would give it: its own host, path and
 * query, `_invalid_` for a host srvx refuses (never remembered), the socket's address without a
 * `Host`, and the forwarded host when a proxy is trusted.
 */
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp } from "../../../src/index.js";
import { defineHandler, getRequestURL } from "../../../src/h3.js";
import { serve, type NitroNodeServer } from "../../../src/adapters/node.js";
import { rawRequest } from "../../fixtures/http.js";

const servers: NitroNodeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(options: { trustProxy?: "loopback" } = {}): Promise<string> {
  const app = createNitroApp();
  app.get(
    "/**",
    defineHandler((event) => ({ href: event.url.href, host: event.url.host, pathname: event.url.pathname, search: event.url.search, url: getRequestURL(event).href })),
  );
  const server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false, ...options });
  servers.push(server);
  await server.ready();
  return server.url!.replace(/\/$/, "");
}

async function urlOf(base: string, path: string, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const answer = await rawRequest(`${base}${path}`, { headers });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.body) as Record<string, string>;
}

/** One HTTP/1.0 request with no `Host` header, as written by hand. */
function withoutHost(port: number, path: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString("utf8")));
    socket.on("end", () => resolve(JSON.parse(received.slice(received.indexOf("\r\n\r\n") + 4)) as Record<string, string>));
    socket.on("error", reject);
    socket.write(`GET ${path} HTTP/1.0\r\n\r\n`);
  });
}

describe("the request URL on Node", () => {
  it("is the request's own, request after request with the same host", async () => {
    const base = await start();
    const host = new URL(base).host;
    for (const [path, pathname, search] of [
      ["/a", "/a", ""],
      ["/a/b?x=1&y=2", "/a/b", "?x=1&y=2"],
      ["/?", "/", ""],
      ["/c?q", "/c", "?q"],
      ["/a", "/a", ""],
    ] as const) {
      const url = await urlOf(base, path);
      expect(url).toEqual({ href: `http://${host}${pathname}${search}`, host, pathname, search, url: `http://${host}${pathname}${search}` });
    }
  });

  it("follows the Host header when it changes between requests", async () => {
    const base = await start();
    for (const host of ["one.example", "two.example:8080", "one.example", "[::1]:3000", "two.example:8080"]) {
      expect(await urlOf(base, "/p?x=1", { host })).toMatchObject({ host, href: `http://${host}/p?x=1` });
    }
  });

  it("never takes a host srvx refuses, however often it comes", async () => {
    const base = await start();
    for (let round = 0; round < 3; round++) {
      expect(await urlOf(base, "/p", { host: "evil.example/path" })).toMatchObject({ host: "_invalid_", pathname: "/p" });
      expect(await urlOf(base, "/p", { host: "ok.example" })).toMatchObject({ host: "ok.example" });
    }
  });

  it("takes the server's own address when the request has no Host", async () => {
    const base = await start();
    const { port } = new URL(base);
    await urlOf(base, "/warm");
    expect(await withoutHost(Number(port), "/bare?x=1")).toMatchObject({ host: `127.0.0.1:${port}`, pathname: "/bare", search: "?x=1" });
  });

  it("keeps the forwarded host of a trusted proxy, whatever host came before", async () => {
    const base = await start({ trustProxy: "loopback" });
    const host = new URL(base).host;
    await urlOf(base, "/warm");
    expect(await urlOf(base, "/p", { "x-forwarded-host": "shop.example.com", "x-forwarded-proto": "https" })).toMatchObject({
      href: "https://shop.example.com/p",
    });
    expect(await urlOf(base, "/p")).toMatchObject({ href: `http://${host}/p` });
  });
});
