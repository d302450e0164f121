/**
 * `nitrokit serve` with Nitro's node-preset variables: NITRO_SSL_CERT/NITRO_SSL_KEY (a
 * self-signed pair made by `openssl` for this run) and NITRO_UNIX_SOCKET; and --trust-proxy.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";
import { selfSignedPair, type SelfSignedPair } from "../fixtures/tls.js";

const SERVER = `
import { createNitroApp } from "nitrokit";
import { defineHandler, getRequestIP, getRequestURL } from "nitrokit/h3";
const app = createNitroApp({});
app.get("/where", defineHandler((event) => ({ url: getRequestURL(event).href })));
app.get("/whoami", defineHandler((event) => ({ ip: getRequestIP(event), url: getRequestURL(event).href })));
export default app;
`;

let dir: string;
let cert: string;
let key: string;
let pair: SelfSignedPair;

beforeAll(() => {
  pair = selfSignedPair("nitrokit-cli-tls-");
  ({ dir, cert, key } = pair);
});

afterAll(() => pair.remove());

function get(url: string, options: { ca?: string; socketPath?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = send(url, { agent: false, ...options }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("nitrokit serve with Nitro's server variables", () => {
  const cli = cliFixtures();

  it("serves HTTPS with NITRO_SSL_CERT and NITRO_SSL_KEY, and says https in the banner", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const server = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir, env: { NITRO_SSL_CERT: cert, NITRO_SSL_KEY: key } });
    const text = await server.waitFor(/Local:\s+https:\/\/127\.0\.0\.1:\d+\//);
    const base = /Local:\s+(https:\/\/\S+?)\/?\s/.exec(text)![1]!;
    const res = await get(`${base}/where`, { ca: cert });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ url: `${base}/where` });
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("listens on NITRO_UNIX_SOCKET", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const socketPath = join(dir, "cli.sock");
    const server = cli.start(["serve"], { cwd: project.dir, env: { NITRO_UNIX_SOCKET: socketPath } });
    await server.waitFor(`Local:   unix:${socketPath}`);
    const res = await get("http://localhost/where", { socketPath });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ url: "http://localhost/where" });
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("trusts X-Forwarded-* only with --trust-proxy", async () => {
    const project = cli.project({ "server.ts": SERVER });
    const headers = { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example.com" };
    const trusting = cli.start(["serve", "--port", "0", "--host", "127.0.0.1", "--trust-proxy", "loopback"], { cwd: project.dir });
    const base = await trusting.url();
    expect(await (await fetch(`${base}/whoami`, { headers })).json()).toEqual({ ip: "203.0.113.9", url: "https://shop.example.com/whoami" });
    expect(await trusting.stop("SIGTERM")).toEqual({ code: 0, signal: null });

    const plain = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const plainBase = await plain.url();
    expect(await (await fetch(`${plainBase}/whoami`, { headers })).json()).toEqual({ ip: "127.0.0.1", url: `${plainBase}/whoami` });
    expect(await plain.stop("SIGTERM")).toEqual({ code: 0, signal: null });

    const bad = await cli.run(["serve", "--trust-proxy", "my-proxy"], { cwd: project.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid --trust-proxy "my-proxy"');
  });
});
