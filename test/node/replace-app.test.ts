import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { serve, type NitroNodeServer } from "../../src/adapters/node.js";

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
});
