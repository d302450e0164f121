import http from "node:http";
import type { AddressInfo } from "node:net";
import { serveOnLoopback } from "../helpers.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { rawRequest } from "../fixtures/http.js";

const MB = 1024 * 1024;
const SIZE = 50 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 120);

/** When things happened, to show bodies flow through the proxy instead of being buffered whole. */
const marks: Record<string, number> = {};

describe("proxy rule: streaming, hop-by-hop headers, timeouts", () => {
  let upstream: http.Server;
  let seenHeaders: http.IncomingHttpHeaders = {};
  let app: NitroApp;
  let server: NitroNodeServer;
  let base: string;

  beforeAll(async () => {
    upstream = http.createServer((req, res) => {
      seenHeaders = req.headers;
      if (req.url === "/hang") return; // never answers
      if (req.url === "/download") {
        res.on("finish", () => (marks.downloadWritten = performance.now()));
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": SIZE });
        let sent = 0;
        const pump = () => {
          while (sent < SIZE) {
            sent += CHUNK.length;
            if (!res.write(CHUNK)) return void res.once("drain", pump);
          }
          res.end();
        };
        return pump();
      }
      let received = 0;
      req.on("data", (chunk: Buffer) => {
        marks.uploadFirstByte ??= performance.now();
        received += chunk.length;
      });
      req.on("end", () => res.end(JSON.stringify({ received })));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    app = createNitroApp({
      maxRequestBodySize: 100 * MB,
      routeRules: {
        "/up/**": { proxy: `${target}/**` },
        "/slow/**": { proxy: { to: `${target}/**`, timeout: 300 } },
      },
    });
    ({ server, base } = await serveOnLoopback(app));
  });
  afterAll(async () => {
    await server?.close();
    upstream.closeAllConnections();
    upstream.close();
  });

  it("streams a 50 MB upload and a 50 MB download without buffering them", async () => {
    // 50 MB cannot sit in socket buffers: if the proxy buffered a body whole, the far side
    // would see its first byte only after the near side had sent the last one.
    const { port } = new URL(base);
    {
      const uploaded = await new Promise<string>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, path: "/up/upload", method: "POST", headers: { "content-type": "application/octet-stream", "content-length": SIZE } }, (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve(body));
        });
        req.on("error", reject);
        let sent = 0;
        const pump = () => {
          while (sent < SIZE) {
            sent += CHUNK.length;
            if (!req.write(CHUNK)) return void req.once("drain", pump);
          }
          req.end(() => (marks.uploadSent = performance.now()));
        };
        pump();
      });
      expect(JSON.parse(uploaded)).toEqual({ received: SIZE });
      const downloaded = await new Promise<number>((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: "/up/download" }, (res) => {
          let received = 0;
          res.on("data", (chunk: Buffer) => {
            marks.downloadFirstByte ??= performance.now();
            received += chunk.length;
          });
          res.on("end", () => resolve(received));
        }).on("error", reject);
      });
      expect(downloaded).toBe(SIZE);
    }
    expect(marks.uploadFirstByte).toBeLessThan(marks.uploadSent!);
    expect(marks.downloadFirstByte).toBeLessThan(marks.downloadWritten!);
  });

  it("drops hop-by-hop headers and the ones Connection nominates", async () => {
    await rawRequest(`${base}/up/headers`, {
      headers: { connection: "keep-alive, x-hop", "x-hop": "secret", "keep-alive": "timeout=5", te: "trailers", "proxy-authorization": "Basic eA==", "x-end-to-end": "kept" },
    });
    expect(seenHeaders["x-end-to-end"]).toBe("kept");
    for (const name of ["x-hop", "keep-alive", "te", "proxy-authorization"]) expect(seenHeaders[name], name).toBeUndefined();
  });

  it("answers 504 when the upstream does not answer within the rule's timeout", async () => {
    const started = Date.now();
    const res = await rawRequest(`${base}/slow/hang`);
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
