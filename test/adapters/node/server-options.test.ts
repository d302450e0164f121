/**
 * Node's own server options: HTTPS (options and Nitro's NITRO_SSL_* variables), HTTP/2
 * with HTTP/1.1 through ALPN, a Unix socket (option and NITRO_UNIX_SOCKET), trusted
 * proxy headers, and the shutdown variables. The certificate is self-signed, made by
 * `openssl` for this run.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect as http2Connect, type ClientHttp2Session } from "node:http2";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createNitroApp, type NitroApp } from "../../../src/index.js";
import { defineHandler, getRequestIP, getRequestURL } from "../../../src/h3.js";
import { serve, type NitroNodeServer } from "../../../src/adapters/node.js";
import { withEnv } from "../../helpers.js";
import { selfSignedPair, type SelfSignedPair } from "../../fixtures/tls.js";

let dir: string;
let cert: string;
let key: string;
let pair: SelfSignedPair;

beforeAll(() => {
  pair = selfSignedPair("nitrokit-tls-");
  ({ dir, cert, key } = pair);
});

afterAll(() => pair.remove());

const servers: NitroNodeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Requests that reached the slow route's handler. */
let slowStarted = 0;

function makeApp(): NitroApp {
  const app = createNitroApp();
  app.get(
    "/slow",
    defineHandler(async () => {
      slowStarted++;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { slow: true };
    }),
  );
  app.get(
    "/about",
    defineHandler((event) => ({
      url: getRequestURL(event).href,
      ip: getRequestIP(event),
      httpVersion: (event.runtime?.node?.req as { httpVersion?: string } | undefined)?.httpVersion,
    })),
  );
  app.websocket("/echo", {
    message(peer, message) {
      peer.send(`echo: ${message.text()}`);
    },
  });
  return app;
}

async function start(options: Parameters<typeof serve>[1], app = makeApp()): Promise<NitroNodeServer> {
  const server = serve(app, { hostname: "127.0.0.1", port: 0, silent: true, gracefulShutdown: false, ...options, workers: undefined });
  servers.push(server);
  await server.ready();
  return server;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

function get(url: string, options: { ca?: string; socketPath?: string; headers?: Record<string, string>; agent?: HttpsAgent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = send(url, { agent: options.agent ?? false, ca: options.ca, socketPath: options.socketPath, headers: options.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(body) as unknown }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("HTTPS", () => {
  it("serves over TLS with { https: { cert, key } }", async () => {
    const server = await start({ https: { cert, key } });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await get(`${server.url}about`, { ca: cert });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ url: `${server.url}about`, httpVersion: "1.1" });
  });

  it("takes the pair from NITRO_SSL_CERT and NITRO_SSL_KEY (PEM text, as Nitro reads them)", async () => {
    const server = await withEnv({ NITRO_SSL_CERT: cert, NITRO_SSL_KEY: key }, () => start({}));
    expect(server.url).toMatch(/^https:/);
    expect((await get(`${server.url}about`, { ca: cert })).status).toBe(200);
  });

  it("refuses half a pair, from the options or the environment", async () => {
    expect(() => serve(makeApp(), { https: { cert, key: "" }, port: 0 })).toThrow(/needs both `cert` and `key`/);
    await withEnv({ NITRO_SSL_CERT: cert, NITRO_SSL_KEY: undefined }, () => {
      expect(() => serve(makeApp(), { port: 0 })).toThrow("NITRO_SSL_CERT is set but NITRO_SSL_KEY is not");
    });
  });

  it("reads PEM files by path, and says which value is unusable", async () => {
    const server = await start({ https: { cert: join(dir, "cert.pem"), key: join(dir, "key.pem") } });
    expect((await get(`${server.url}about`, { ca: cert })).status).toBe(200);
    expect(() => serve(makeApp(), { https: { cert: join(dir, "missing.pem"), key }, port: 0 })).toThrow(/https\.cert is neither PEM text nor a readable file \(ENOENT/);
    const notAKey = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
    expect(() => serve(makeApp(), { https: { cert, key: notAKey }, port: 0 })).toThrow(/the HTTPS certificate or key .* is not usable/);
  });

  it("upgrades WebSockets over TLS (wss://)", async () => {
    const server = await start({ https: { cert, key } });
    expect(await echo(`${server.url!.replace(/^https/, "wss")}echo`, cert)).toBe("echo: over tls");
  });
});

describe("HTTP/2", () => {
  it("speaks HTTP/2 to a client that offers h2, and HTTP/1.1 (WebSockets too) to one that does not", async () => {
    const server = await start({ https: { cert, key }, http2: true });
    const session = http2Connect(server.url!, { ca: cert });
    try {
      const { headers, body } = await h2get(session, "/about");
      expect(session.alpnProtocol).toBe("h2");
      expect(headers[":status"]).toBe(200);
      expect(JSON.parse(body)).toMatchObject({ httpVersion: "2.0", url: `${server.url}about` });
    } finally {
      session.close();
    }
    const fallback = await get(`${server.url}about`, { ca: cert });
    expect(fallback.status).toBe(200);
    expect(fallback.body).toMatchObject({ httpVersion: "1.1" });
    expect(await echo(`${server.url!.replace(/^https/, "wss")}echo`, cert)).toBe("echo: over tls");
  });

  it("drains on close(): a stream in flight finishes; idle HTTP/2 sessions and HTTP/1.1 keep-alive sockets do not hold it", async () => {
    // A graceful timeout far beyond the test's: close() must end because the connections did, not because time ran out.
    const server = await withEnv({ NITRO_SHUTDOWN_TIMEOUT: "600000" }, () => start({ https: { cert, key }, http2: true }));
    const idle = http2Connect(server.url!, { ca: cert });
    const busy = http2Connect(server.url!, { ca: cert });
    const keepAlive = new HttpsAgent({ keepAlive: true, ca: cert });
    try {
      expect((await h2get(idle, "/about")).headers[":status"]).toBe(200);
      expect((await get(`${server.url}about`, { ca: cert, agent: keepAlive })).status).toBe(200);
      const before = slowStarted;
      const slow = h2get(busy, "/slow");
      await expect.poll(() => slowStarted, { interval: 5 }).toBe(before + 1);

      await server.close();
      const answer = await slow;
      expect(answer.headers[":status"]).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ slow: true });
      await expect.poll(() => idle.closed || idle.destroyed, { interval: 5 }).toBe(true);
    } finally {
      idle.destroy();
      busy.destroy();
      keepAlive.destroy();
    }
  });

  it("drains on close(): the socket of an HTTP/1.1 request in flight on the ALPN fallback closes once it is answered", async () => {
    // As above: close() must end because the socket did. Node's HTTP/1.1 fallback of an HTTP/2 server has no
    // keep-alive timeout, so a socket the drain does not count would hold it for the whole graceful timeout.
    const server = await withEnv({ NITRO_SHUTDOWN_TIMEOUT: "600000" }, () => start({ https: { cert, key }, http2: true }));
    const keepAlive = new HttpsAgent({ keepAlive: true, ca: cert });
    try {
      expect((await get(`${server.url}about`, { ca: cert, agent: keepAlive })).body).toMatchObject({ httpVersion: "1.1" });
      const before = slowStarted;
      // On the same kept-alive socket: busy when close() begins, idle once the answer is written.
      const slow = get(`${server.url}slow`, { ca: cert, agent: keepAlive });
      await expect.poll(() => slowStarted, { interval: 5 }).toBe(before + 1);

      const closed = server.close();
      const answer = await slow;
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ slow: true });
      await closed;
      await expect.poll(() => Object.values(keepAlive.freeSockets).flat().length, { interval: 5 }).toBe(0);
    } finally {
      keepAlive.destroy();
    }
  });

  it("needs TLS", () => {
    expect(() => serve(makeApp(), { http2: true, port: 0 })).toThrow("`http2: true` needs `https: { cert, key }`");
  });
});

describe("Unix socket", () => {
  it("listens on { socket } and on NITRO_UNIX_SOCKET", async () => {
    const path = join(dir, "app.sock");
    const server = await start({ socket: path });
    expect(server.url).toBe(`unix:${path}`);
    expect(server.port).toBeUndefined();
    const res = await get("http://localhost/about", { socketPath: path });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ url: "http://localhost/about" });
    await server.close();

    const fromEnv = join(dir, "env.sock");
    const second = await withEnv({ NITRO_UNIX_SOCKET: fromEnv }, () => start({}));
    expect(second.url).toBe(`unix:${fromEnv}`);
    expect((await get("http://localhost/about", { socketPath: fromEnv })).status).toBe(200);
  });

  it("says so when the socket is taken", async () => {
    const path = join(dir, "taken.sock");
    const other = createNetServer();
    await new Promise<void>((resolve) => other.listen(path, resolve));
    try {
      const server = serve(makeApp(), { socket: path, silent: true, gracefulShutdown: false });
      await expect(server.ready()).rejects.toThrow(`Socket ${path} is already in use`);
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});

describe("trustProxy", () => {
  const forwarded = { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example.com" };

  it("ignores X-Forwarded-* by default: any client can send them", async () => {
    const server = await start({});
    const res = await get(`${server.url}about`, { headers: forwarded });
    expect(res.body).toMatchObject({ ip: "127.0.0.1", url: `${server.url}about` });
  });

  it("lets them shape the IP, protocol and host when the proxy is trusted", async () => {
    const server = await start({ trustProxy: "loopback" });
    const res = await get(`${server.url}about`, { headers: forwarded });
    expect(res.body).toMatchObject({ ip: "203.0.113.9", url: "https://shop.example.com/about" });
    // Trusting a proxy elsewhere does not trust this peer.
    const elsewhere = await start({ trustProxy: ["10.0.0.1"] });
    expect((await get(`${elsewhere.url}about`, { headers: forwarded })).body).toMatchObject({ ip: "127.0.0.1", url: `${elsewhere.url}about` });
  });
});

describe("shutdown variables", () => {
  it("rejects a NITRO_SHUTDOWN_TIMEOUT that is not a number of milliseconds", async () => {
    await withEnv({ NITRO_SHUTDOWN_TIMEOUT: "10s" }, () => {
      expect(() => serve(makeApp(), { port: 0, silent: true })).toThrow("NITRO_SHUTDOWN_TIMEOUT must be a number of milliseconds");
    });
  });
});

function h2get(session: ClientHttp2Session, path: string): Promise<{ headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":path": path });
    let headers: Record<string, unknown> = {};
    let body = "";
    stream.on("response", (received) => (headers = received));
    stream.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    stream.on("end", () => resolve({ headers, body }));
    stream.on("error", reject);
  });
}

function echo(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ca });
    ws.once("open", () => ws.send("over tls"));
    ws.once("message", (data) => {
      resolve(data.toString());
      ws.close();
    });
    ws.once("error", reject);
  });
}
