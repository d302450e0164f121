import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { HTTPError, defineHandler, defineMiddleware, defineWebSocketHandler, getRequestHeader } from "../../src/h3.js";
import { useRuntimeConfig } from "../../src/runtime-config.js";
import { useStorage } from "../../src/storage/index.js";
import { toNodeHandler, toNodeUpgradeHandler } from "../../src/adapters/node.js";
import { connect, refusedUpgrade } from "../fixtures/ws-client.js";
import { appsClosedAfterEach, serveOnLoopback } from "../helpers.js";

const createApp = appsClosedAfterEach();

const echo = { message: (peer: { send(data: unknown): void }, message: { text(): string }) => peer.send(message.text()) };

async function wsBaseOf(app: ReturnType<typeof createApp>) {
  const { server } = await serveOnLoopback(app);
  return { server, ws: server.url!.replace(/^http/, "ws"), http: server.url! };
}

describe("WebSocket upgrades go through the app", () => {
  it("lets auth middleware refuse an upgrade (401 JSON) and pass its user to the hooks as peer.context", async () => {
    const app = createApp();
    app.use(
      "/ws",
      defineMiddleware((event) => {
        const token = getRequestHeader(event, "authorization");
        if (token !== "Bearer letmein") throw new HTTPError({ status: 401, message: "Sign in first", headers: { "www-authenticate": "Bearer" } });
        event.context.user = "alice";
      }),
    );
    app.websocket("/ws/:room", {
      open(peer) {
        peer.send({ user: peer.context.user, room: (peer.context.params as Record<string, string>).room });
      },
    });
    const { ws } = await wsBaseOf(app);

    const refused = await refusedUpgrade(`${ws}ws/lobby`);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ status: 401, message: "Sign in first" });
    expect(refused.headers["www-authenticate"]).toBe("Bearer");

    const client = await connect(`${ws}ws/lobby`, { headers: { authorization: "Bearer letmein" } });
    expect(await client.next(() => true)).toEqual({ user: "alice", room: "lobby" });
    client.ws.terminate();
  });

  it("lets the upgrade hook refuse with an HTTPError or a Response, and hides unexpected errors", async () => {
    const errors: Array<{ message: string; tags: string[] }> = [];
    const app = createApp();
    app.hooks.hook("error", (error, { tags }) => void errors.push({ message: error.message, tags }));
    app.websocket("/forbidden", {
      upgrade() {
        throw new HTTPError({ status: 403, message: "Not in this room" });
      },
    });
    app.websocket("/busy", { upgrade: () => new Response("Too many peers", { status: 429 }) });
    app.websocket("/broken", {
      upgrade() {
        throw new Error("secret connection string");
      },
    });
    const { ws } = await wsBaseOf(app);

    const forbidden = await refusedUpgrade(`${ws}forbidden`);
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ status: 403, message: "Not in this room" });
    const busy = await refusedUpgrade(`${ws}busy`);
    expect([busy.status, busy.body]).toEqual([429, "Too many peers"]);
    const broken = await refusedUpgrade(`${ws}broken`);
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain("secret");
    expect(errors).toEqual([{ message: "secret connection string", tags: ["websocket", "upgrade"] }]);
  });

  it("answers a plain request to a WebSocket route with 426 + Upgrade, other methods with 405, unknown paths with 404", async () => {
    const app = createApp();
    app.websocket("/_ws", echo);
    const { ws, http } = await wsBaseOf(app);

    const plain = await fetch(`${http}_ws`);
    expect(plain.status).toBe(426);
    expect(plain.headers.get("upgrade")).toBe("websocket");
    expect(await plain.json()).toMatchObject({ status: 426, message: "This route only accepts WebSocket connections." });
    const post = await fetch(`${http}_ws`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toContain("GET");
    expect((await refusedUpgrade(`${ws}nowhere`)).status).toBe(404);
  });

  it("serves h3's defineWebSocketHandler registered with app.get, as Nitro's routes/_ws.ts does", async () => {
    const app = createApp();
    app.get("/_ws", defineWebSocketHandler(echo));
    const { ws } = await wsBaseOf(app);
    const client = await connect(`${ws}_ws`);
    client.ws.send("hello");
    expect(await client.next(() => true)).toEqual({ raw: "hello", binary: false });
    client.ws.terminate();
  });

  it("runs hooks as code of their app: useRuntimeConfig() and useStorage() work with several apps alive", async () => {
    const make = (name: string) => {
      const app = createApp({ runtimeConfig: { name } });
      app.websocket("/_ws", {
        async open(peer) {
          await useStorage().setItem("last", name);
          peer.send({ name: (useRuntimeConfig() as { name: string }).name, stored: await useStorage().getItem("last") });
        },
      });
      return app;
    };
    const [one, two] = [make("one"), make("two")];
    const [a, b] = await Promise.all([wsBaseOf(one), wsBaseOf(two)]);
    const [ca, cb] = await Promise.all([connect(`${a.ws}_ws`), connect(`${b.ws}_ws`)]);
    expect(await ca.next(() => true)).toEqual({ name: "one", stored: "one" });
    expect(await cb.next(() => true)).toEqual({ name: "two", stored: "two" });
    ca.ws.terminate();
    cb.ws.terminate();
  });

  it("passes middleware context to peer.context with several apps alive (request scope entered)", async () => {
    createApp(); // a second live app makes every request enter AsyncLocalStorage
    const app = createApp();
    app.use(defineMiddleware((event) => void (event.context.user = "bob")));
    app.websocket("/_ws", { open: (peer) => void peer.send({ user: peer.context.user }) });
    const { ws } = await wsBaseOf(app);
    const client = await connect(`${ws}_ws`);
    expect(await client.next(() => true)).toEqual({ user: "bob" });
    client.ws.terminate();
  });

  it("refuses browser handshakes from other sites (403) unless their origin is allowed", async () => {
    const strict = createApp();
    strict.websocket("/_ws", echo);
    const open = createApp({ websocket: { allowedOrigins: ["https://app.example.com"] } });
    open.websocket("/_ws", echo);
    const [s, o] = await Promise.all([wsBaseOf(strict), wsBaseOf(open)]);
    const host = new URL(s.http).host;

    const hijack = await refusedUpgrade(`${s.ws}_ws`, { origin: "https://evil.example" });
    expect(hijack.status).toBe(403);
    expect(JSON.parse(hijack.body).message).toContain("websocket.allowedOrigins");
    for (const [base, origin] of [
      [s.ws, `http://${host}`], // same origin
      [s.ws, undefined], // no Origin: not a browser
      [o.ws, "https://app.example.com"], // listed
    ] as const) {
      const client = await connect(`${base}_ws`, origin ? { origin } : {});
      client.ws.terminate();
    }
    expect((await refusedUpgrade(`${o.ws}_ws`, { origin: "https://evil.example" })).status).toBe(403);
  });

  it("embeds in a node:http server you own with toNodeUpgradeHandler", async () => {
    const app = createApp();
    app.get("/api/hi", defineHandler(() => "hi"));
    app.websocket("/_ws", echo);
    const server = createServer(toNodeHandler(app));
    server.on("upgrade", toNodeUpgradeHandler(app));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/api/hi`)).text()).toBe("hi");
      const client = await connect(`ws://127.0.0.1:${port}/_ws`);
      client.ws.send("embedded");
      expect(await client.next(() => true)).toEqual({ raw: "embedded", binary: false });
      client.ws.terminate();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
