import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
// @ts-expect-error: the example is plain JavaScript, as a user would write it.
import { createChatApp } from "../../examples/chat/app.mjs";
import type { NitroApp } from "../../src/index.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { connect, type TestClient } from "../fixtures/ws-client.js";
import { json, serveOnLoopback } from "../helpers.js";

describe("the seed's WebSocket chat (examples/chat) over real sockets", () => {
  let app: NitroApp;
  let server: NitroNodeServer;
  let wsBase: string;
  const clients: TestClient[] = [];

  beforeEach(async () => {
    // The seed's handler logs every event; keep the test output readable.
    vi.spyOn(console, "log").mockImplementation(() => {});
    app = createChatApp() as NitroApp;
    ({ server } = await serveOnLoopback(app));
    wsBase = server.url!.replace(/^http/, "ws");
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    await server.close();
    vi.restoreAllMocks();
  });

  const join = async () => {
    const client = await connect(`${wsBase}_ws`);
    clients.push(client);
    await client.next((m) => m.type === "welcome");
    return client;
  };

  it("welcomes, answers ping, relays chat to the others and not to the sender", async () => {
    const alice = await join();
    const bob = await join();
    expect(alice.inbox[0]).toMatchObject({ type: "welcome", message: expect.stringMatching(/^Welcome, .+!$/) });
    await alice.next((m) => m.type === "user-joined");

    alice.ws.send(JSON.stringify({ type: "ping" }));
    expect(await alice.next((m) => m.type === "pong")).toMatchObject({ timestamp: expect.any(Number) });

    alice.ws.send(JSON.stringify({ type: "chat", message: "hi all" }));
    expect(await bob.next((m) => m.type === "message")).toMatchObject({ message: "hi all", user: expect.any(String) });
    alice.ws.send(JSON.stringify({ type: "private", message: "just me" }));
    expect(await alice.next((m) => m.type === "private-response")).toMatchObject({ message: "just me" });
    expect(alice.inbox.some((m: any) => m.type === "message")).toBe(false);
    expect(bob.inbox.some((m: any) => m.type === "private-response")).toBe(false);
  });

  it("answers invalid JSON with the error message and keeps the connection", async () => {
    const alice = await join();
    alice.ws.send("{broken");
    expect(await alice.next((m) => m.type === "error")).toEqual({ type: "error", message: "Invalid message format" });
    alice.ws.send(JSON.stringify({ type: "ping" }));
    await alice.next((m) => m.type === "pong");
  });

  it("tells the room when someone leaves", async () => {
    const alice = await join();
    const bob = await join();
    bob.ws.close(1000);
    await bob.closed;
    expect(await alice.next((m) => m.type === "user-left")).toMatchObject({ user: expect.any(String) });
  });

  it("lets an HTTP route publish into the room (app.publish)", async () => {
    const alice = await join();
    const res = await fetch(`${server.url}api/announce`, json({ message: "maintenance at noon" }));
    expect(await res.json()).toEqual({ sent: true });
    expect(await alice.next((m) => m.type === "announcement")).toMatchObject({ message: "maintenance at noon" });
  });

  it("answers a plain GET on the WebSocket route with 426", async () => {
    const res = await fetch(`${server.url}_ws`);
    expect(res.status).toBe(426);
    await res.arrayBuffer();
  });
});
