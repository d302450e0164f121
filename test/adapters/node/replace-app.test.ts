import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../../src/index.js";
import { defineHandler } from "../../../src/h3.js";
import { serve, type NitroNodeServer } from "../../../src/adapters/node.js";
import { connect } from "../../fixtures/ws-client.js";

/** An app whose `/slow` answers once the test releases it, and which records being closed. */
function versionedApp(version: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const slowStarted = new Promise<void>((resolve) => (started = resolve));
  const app = createNitroApp();
  let closed = false;
  app.hooks.hook("close", () => void (closed = true));
  app.get("/version", defineHandler(() => ({ version })));
  app.get("/slow", defineHandler(async () => {
    started();
    await released;
    return { version };
  }));
  return { app, release, slowStarted, closed: () => closed };
}

describe("serve(): replaceApp()", () => {
  let server: NitroNodeServer | undefined;
  const apps: NitroApp[] = [];
  afterEach(async () => {
    await server?.close();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it("serves new requests with the new app while a request in flight finishes on the old one", async () => {
    const v1 = versionedApp("v1");
    const v2 = versionedApp("v2");
    apps.push(v1.app, v2.app);
    server = serve(v1.app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
    await server.ready();
    const base = server.url!;

    const slow = fetch(`${base}slow`).then((res) => res.json());
    await v1.slowStarted;
    expect(server.replaceApp(v2.app)).toBe(v1.app);
    expect(await (await fetch(`${base}version`)).json()).toEqual({ version: "v2" });

    v1.release();
    expect(await slow).toEqual({ version: "v1" });
    // Replacing hands the old app back to the caller: the server does not close it.
    expect(v1.closed()).toBe(false);
  });

  it("close() closes the app serving at the time", async () => {
    const v1 = versionedApp("v1");
    const v2 = versionedApp("v2");
    apps.push(v1.app);
    server = serve(v1.app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
    await server.ready();
    server.replaceApp(v2.app);
    await server.close();
    expect(v2.closed()).toBe(true);
    expect(v1.closed()).toBe(false);
  });

  it("hands WebSocket upgrades to the new app; the old app's peers get 1001 when it closes", async () => {
    const make = (version: string) => {
      const app = createNitroApp();
      app.websocket("/_ws", { open: (peer) => void peer.send({ version }) });
      apps.push(app);
      return app;
    };
    const [v1, v2] = [make("v1"), make("v2")];
    server = serve(v1, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
    await server.ready();
    const url = `${server.url!.replace(/^http/, "ws")}_ws`;
    const before = await connect(url);
    expect(await before.next(() => true)).toEqual({ version: "v1" });
    await server.replaceApp(v2).close();
    expect((await before.closed).code).toBe(1001);
    const after = await connect(url);
    expect(await after.next(() => true)).toEqual({ version: "v2" });
    after.ws.terminate();
  });
});
