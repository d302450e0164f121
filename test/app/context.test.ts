import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, useEvent, useNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler, defineMiddleware } from "../../src/h3.js";
import { useRuntimeConfig } from "../../src/runtime-config.js";
import { request, sleep } from "../helpers.js";

const apps: NitroApp[] = [];
function makeApp(name: string): NitroApp {
  const app = createNitroApp({ runtimeConfig: { name } });
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe("current app context", () => {
  it("resolves each request to its own app with interleaved concurrent requests", async () => {
    const handler = defineHandler(async (event) => {
      const before = useRuntimeConfig().name;
      await sleep(Math.random() * 15);
      // After an await, in middleware-set context, and via useNitroApp: still the same app.
      return { before, after: useRuntimeConfig().name, viaApp: useNitroApp().runtimeConfig.name, mw: event.context.mw, event: useEvent() === event };
    });
    const a = makeApp("a");
    const b = makeApp("b");
    for (const app of [a, b]) {
      app.use(defineMiddleware((event) => void (event.context.mw = useRuntimeConfig().name)));
      app.get("/who", handler);
    }
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => request(i % 2 ? a : b, "/who").then((r) => r.json())));
    results.forEach((result, i) => {
      const name = i % 2 ? "a" : "b";
      expect(result).toEqual({ before: name, after: name, viaApp: name, mw: name, event: true });
    });
  });

  it("resolves inside plugins and close hooks", async () => {
    const app = makeApp("plugged");
    const other = makeApp("other");
    const seen: string[] = [];
    app.plugin(async () => {
      await sleep(5);
      seen.push(String(useRuntimeConfig().name));
    });
    app.hooks.hook("close", () => void seen.push(`close:${String(useNitroApp().runtimeConfig.name)}`));
    await Promise.all([app.ready(), other.ready()]);
    await app.close();
    expect(seen).toEqual(["plugged", "close:plugged"]);
  });

  it("falls back to the only app outside a request, and refuses to guess among several", async () => {
    const only = makeApp("only");
    expect(useNitroApp()).toBe(only);
    expect(useRuntimeConfig().name).toBe("only");
    expect(useEvent()).toBeUndefined();
    makeApp("second");
    expect(() => useNitroApp()).toThrow(/2 apps exist, so the app is ambiguous/);
    await only.close();
    expect(useNitroApp().runtimeConfig.name).toBe("second");
  });

  it("useEvent() needs experimental.asyncContext when one app is alone in the process, as in Nitro", async () => {
    const plain = makeApp("plain");
    plain.get("/event", () => ({ hasEvent: useEvent() !== undefined, name: useRuntimeConfig().name }));
    expect(await plain.$fetch("/event")).toEqual({ hasEvent: false, name: "plain" });
    await plain.close();
    const app = createNitroApp({ experimental: { asyncContext: true }, runtimeConfig: { name: "ctx" } });
    apps.push(app);
    app.get("/event", (event) => ({ same: useEvent() === event }));
    expect(await app.$fetch("/event")).toEqual({ same: true });
  });

  it("throws a clear error when no app exists", async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    expect(() => useNitroApp()).toThrow(/no app is running/);
  });

  it("useRuntimeConfig(event) finds the event's app even outside its scope", async () => {
    const a = makeApp("a");
    makeApp("b");
    let captured: Parameters<typeof useRuntimeConfig>[0];
    a.get("/capture", (event) => {
      captured = event;
      return "ok";
    });
    await request(a, "/capture");
    expect(useRuntimeConfig(captured).name).toBe("a");
  });
});
