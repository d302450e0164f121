import { afterAll, beforeAll, expect, it, vi } from "vitest";
// @ts-expect-error: the example is plain JavaScript, as a user would write it.
import { createChatApp } from "../../examples/chat/app.mjs";
import type { NitroApp } from "../../src/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { connect, type TestClient } from "../fixtures/ws-client.js";
import { startTcpProxy, type TcpProxy } from "../fixtures/tcp-proxy.js";
import { json, serveOnLoopback, sleep } from "../helpers.js";
import { describeWithService, uniqueName } from "../fixtures/services.js";

describeWithService("REDIS", "WebSocket pub/sub across two instances on a real Redis", (url) => {
  const channel = uniqueName("nitrokit_ws");
  let proxy: TcpProxy;
  const instances: Array<{ app: NitroApp; server: NitroNodeServer; ws: string; http: string }> = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const target = new URL(url);
    // Instance A reaches Redis through a proxy the test can cut; B directly.
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const viaProxy = new URL(url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    for (const redisUrl of [viaProxy.href, url]) {
      const app = createChatApp({ websocket: { pubsub: { driver: "redis", url: redisUrl, channel } } }) as NitroApp;
      const { server } = await serveOnLoopback(app);
      instances.push({ app, server, ws: `${server.url!.replace(/^http/, "ws")}_ws`, http: server.url! });
    }
  });

  afterAll(async () => {
    for (const client of clients) client.ws.terminate();
    await Promise.all(instances.map(({ server }) => server.close()));
    await proxy?.close();
    vi.restoreAllMocks();
  });

  const join = async (instance: number) => {
    const client = await connect(instances[instance]!.ws);
    clients.push(client);
    await client.next((m) => m.type === "welcome");
    return client;
  };
  const chats = (client: TestClient, text: string) => client.inbox.filter((m: any) => m.type === "message" && m.message === text).length;

  it("delivers a publish on A to subscribers on A and B, once each, never back to the sender", async () => {
    const [a1, a2, b1] = [await join(0), await join(0), await join(1)];
    a1.ws.send(JSON.stringify({ type: "chat", message: "from A" }));
    await b1.next((m) => m.type === "message" && m.message === "from A");
    await a2.next((m) => m.type === "message" && m.message === "from A");
    b1.ws.send(JSON.stringify({ type: "chat", message: "from B" }));
    await a1.next((m) => m.type === "message" && m.message === "from B");
    await sleep(200); // time for a duplicate, if there were one, to arrive
    expect([chats(a1, "from A"), chats(a2, "from A"), chats(b1, "from A")]).toEqual([0, 1, 1]);
    expect([chats(a1, "from B"), chats(a2, "from B"), chats(b1, "from B")]).toEqual([1, 1, 0]);
  });

  it("relays app.publish() from an HTTP route on B to peers on A", async () => {
    const a1 = await join(0);
    const res = await fetch(`${instances[1]!.http}api/announce`, json({ message: "deploy done" }));
    expect(res.status).toBe(200);
    expect(await a1.next((m) => m.type === "announcement")).toMatchObject({ message: "deploy done" });
  });

  it("keeps local delivery working while Redis is unreachable, and relays again once it is back", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const [a1, a2, b1] = [await join(0), await join(0), await join(1)];
    await proxy.down();
    // ioredis reports the refused reconnects once; the outage is in the log, not on every retry.
    await vi.waitFor(() => expect(errors.mock.calls.some(([message]) => String(message).includes("Redis connection failed"))).toBe(true), { timeout: 5000 });
    a1.ws.send(JSON.stringify({ type: "chat", message: "during outage" }));
    await a2.next((m) => m.type === "message" && m.message === "during outage");

    await proxy.up();
    // ioredis reconnects and re-subscribes on its own; keep talking until B hears A again.
    await vi.waitFor(
      async () => {
        a1.ws.send(JSON.stringify({ type: "chat", message: "after outage" }));
        await b1.next((m) => m.type === "message" && m.message === "after outage", 250);
      },
      { timeout: 10_000, interval: 50 },
    );
    errors.mockRestore();
  }, 20_000);
});
