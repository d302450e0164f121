import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../../src/index.js";
import { defineHandler, readBody } from "../../../src/h3.js";
import { toNodeHandler, type NitroNodeServer } from "../../../src/adapters/node.js";
import { closeServer, listen } from "../../fixtures/http.js";
import { exchange, payload } from "../../fixtures/raw-socket.js";
import { serveOnLoopback } from "../../helpers.js";

const LIMIT = 1024;
describe("body limit before reading, over a raw socket (Node)", () => {
  let app: NitroApp;
  let server: NitroNodeServer;
  let handlerRuns = 0;

  afterEach(async () => {
    await server?.close();
  });

  async function start(): Promise<number> {
    handlerRuns = 0;
    app = createNitroApp({ maxRequestBodySize: LIMIT });
    app.post("/api/echo", defineHandler(async (event) => {
      handlerRuns++;
      return { received: await readBody(event) };
    }));
    app.post("/api/ignore-body", defineHandler(() => {
      handlerRuns++;
      return { ok: true };
    }));
    app.get("/api/hello", defineHandler(() => ({ message: "Hello" })));
    ({ server } = await serveOnLoopback(app));
    return server.port!;
  }

  it("answers a declared 1 GB body with 413 JSON at once and closes the connection", async () => {
    const port = await start();
    for (const path of ["/api/echo", "/api/ignore-body"]) {
      const result = await exchange(
        port,
        `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n`,
        "0123456789",
      );
      expect(result.status).toBe(413);
      expect(result.headers.connection).toBe("close");
      expect(JSON.parse(payload(result))).toMatchObject({ status: 413, message: expect.stringContaining(`${LIMIT} bytes`) });
    }
    // Whatever the method: a GET declaring a body is no exception.
    const get = await exchange(port, "GET /api/hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1073741824\r\n\r\n", "0123456789");
    expect(get.status).toBe(413);
    // Refused before any handler ran.
    expect(handlerRuns).toBe(0);

    // And the server goes on serving.
    const next = await exchange(port, "GET /api/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(next.status).toBe(200);
    expect(JSON.parse(payload(next))).toEqual({ message: "Hello" });
  });

  it("answers a chunked body that grows over the limit with 413 and closes the connection", async () => {
    const port = await start();
    const piece = "x".repeat(400);
    const chunk = `${piece.length.toString(16)}\r\n${piece}\r\n`;
    const result = await exchange(
      port,
      "POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
      [chunk, chunk, chunk, chunk],
    );
    expect(result.status).toBe(413);
    expect(result.headers.connection).toBe("close");
    expect(JSON.parse(payload(result))).toMatchObject({ status: 413 });

    const next = await exchange(port, "GET /api/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    expect(next.status).toBe(200);
  });

  it("still takes a body at the limit", async () => {
    const port = await start();
    const body = JSON.stringify({ data: "y".repeat(LIMIT - 20) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(LIMIT);
    const result = await exchange(
      port,
      `POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
      body,
    );
    expect(result.status).toBe(200);
    expect(JSON.parse(payload(result))).toEqual({ received: JSON.parse(body) });
  });
});

describe("body limit before reading, embedded with toNodeHandler (node:http, Express)", () => {
  it("answers a declared 1 GB body with 413 at once and closes the connection", async () => {
    const app = createNitroApp({ maxRequestBodySize: LIMIT });
    app.post("/api/echo", defineHandler(async (event) => ({ received: await readBody(event) })));
    app.get("/api/hello", defineHandler(() => ({ message: "Hello" })));
    const node = createServer(toNodeHandler(app));
    const base = await listen(node);
    const port = Number(new URL(base).port);
    try {
      const result = await exchange(port, "POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1073741824\r\n\r\n", "0123456789");
      expect(result.status).toBe(413);
      expect(result.headers.connection).toBe("close");
      expect(JSON.parse(payload(result))).toMatchObject({ status: 413 });
      expect((await exchange(port, "GET /api/hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).status).toBe(200);
    } finally {
      await closeServer(node);
      await app.close();
    }
  });
});
