import { describe, expect, it, vi } from "vitest";
import { serve } from "../../src/adapters/node.js";
import { connect, refusedUpgrade } from "../fixtures/ws-client.js";
import { appsClosedAfterEach, serveOnLoopback } from "../helpers.js";

const createApp = appsClosedAfterEach();

describe("WebSocket frames, limits and failures", () => {
  it("keeps text and binary frames apart in both directions", async () => {
    const app = createApp();
    app.websocket("/_ws", {
      message(peer, message) {
        const binary = typeof message.rawData !== "string";
        if (binary) peer.send(new Uint8Array([...message.uint8Array()].reverse()));
        else peer.send({ text: message.text() });
      },
    });
    const { server } = await serveOnLoopback(app);
    const client = await connect(`${server.url!.replace(/^http/, "ws")}_ws`);
    client.ws.send("héllo");
    expect(await client.next((m) => "text" in m)).toEqual({ text: "héllo" });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const reply = await client.next((m) => m.binary === true);
    expect([...reply.raw]).toEqual([3, 2, 1]);
    client.ws.terminate();
  });

  it("closes a peer that sends more than maxMessageSize with 1009, and keeps serving the others", async () => {
    const app = createApp({ websocket: { maxMessageSize: 1024 } });
    const received: number[] = [];
    app.websocket("/_ws", {
      message(peer, message) {
        received.push(message.text().length);
        peer.send({ ok: message.text().length });
      },
    });
    const { server } = await serveOnLoopback(app);
    const url = `${server.url!.replace(/^http/, "ws")}_ws`;
    const [big, small] = await Promise.all([connect(url), connect(url)]);
    big.ws.send("x".repeat(1024));
    await big.next((m) => m.ok === 1024);
    big.ws.send("x".repeat(1025));
    expect((await big.closed).code).toBe(1009);
    small.ws.send("still here");
    expect(await small.next(() => true)).toEqual({ ok: 10 });
    expect(received).toEqual([1024, 10]);
    small.ws.terminate();
  });

  it("reports a hook that throws or rejects through the error hook and keeps the connection", async () => {
    const app = createApp();
    const reported: Array<[string, string[]]> = [];
    app.hooks.hook("error", (error, { tags }) => void reported.push([error.message, tags]));
    app.websocket("/_ws", {
      message(peer, message) {
        if (message.text() === "throw") throw new Error("sync boom");
        if (message.text() === "reject") return Promise.reject(new Error("async boom"));
        peer.send({ echo: message.text() });
      },
    });
    const { server } = await serveOnLoopback(app);
    const client = await connect(`${server.url!.replace(/^http/, "ws")}_ws`);
    client.ws.send("throw");
    client.ws.send("reject");
    client.ws.send("fine");
    expect(await client.next(() => true)).toEqual({ echo: "fine" });
    expect(reported).toEqual([
      ["sync boom", ["websocket", "message"]],
      ["async boom", ["websocket", "message"]],
    ]);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    client.ws.terminate();
  });

  it("closes peers with 1001 when the app closes, and refuses new upgrades with 503", async () => {
    const app = createApp();
    const closes: number[] = [];
    app.websocket("/_ws", { close: (_peer, details) => void closes.push(details.code ?? 0) });
    const { server } = await serveOnLoopback(app);
    const url = `${server.url!.replace(/^http/, "ws")}_ws`;
    const [a, b] = await Promise.all([connect(url), connect(url)]);
    await app.close();
    expect(await a.closed).toEqual({ code: 1001, reason: "Server shutting down" });
    expect((await b.closed).code).toBe(1001);
    await vi.waitFor(() => expect(closes).toEqual([1001, 1001]));
    expect((await refusedUpgrade(url)).status).toBe(503);
    await server.close();
  });

  it("shuts a server down promptly with WebSocket peers connected (they get 1001)", async () => {
    const app = createApp();
    app.websocket("/_ws", {});
    await app.ready();
    // A graceful timeout far beyond the test's own: only closing the peers lets close() finish in time.
    const server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: { timeout: 60_000 } });
    await server.ready();
    const client = await connect(`${server.url!.replace(/^http/, "ws")}_ws`);
    await server.close();
    expect((await client.closed).code).toBe(1001);
  });
});
