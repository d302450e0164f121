import { describe, expect, it } from "vitest";
import { defineMiddleware } from "../../src/h3.js";
import { connect } from "../fixtures/ws-client.js";
import { appsClosedAfterEach, serveOnLoopback } from "../helpers.js";

const createApp = appsClosedAfterEach();

// With the request scope entered (several apps, asyncContext, and always on Workers), the upgrade
// request still shares one context object between h3 (event.context) and crossws (peer.context).
describe("WebSocket upgrades inside the request scope", () => {
  for (const [title, config] of [
    ["with a second app alive", {}],
    ["with experimental.asyncContext", { experimental: { asyncContext: true } }],
  ] as const) {
    it(`hands middleware's event.context to peer.context ${title}`, async () => {
      const app = createApp(config);
      createApp(); // a second live app: the scope is entered on every request
      app.use(defineMiddleware((event) => void (event.context.user = "alice")));
      app.websocket("/ws", { open: (peer) => void peer.send({ user: peer.context.user ?? null }) });
      const { server } = await serveOnLoopback(app);
      const client = await connect(`${server.url!.replace(/^http/, "ws")}ws`);
      expect(await client.next(() => true)).toEqual({ user: "alice" });
      client.ws.terminate();
      await server.close();
    });
  }
});
