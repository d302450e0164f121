import { describe, expect, it } from "vitest";
import { defineHandler, getRequestIP, getRouterParam } from "../../../src/h3.js";
import { defineCachedFunction } from "../../../src/cache/index.js";
import { toNetlifyHandler } from "../../../src/adapters/netlify.js";
import { appsClosedAfterEach, sleep } from "../../helpers.js";

// The call shapes fetch-handler platforms use: Netlify's (request, context), Vercel's and Deno's module `fetch`.
// The app's answers as a Netlify Function are the shared runtime suite's: test/runtimes/netlify.test.ts.
const createApp = appsClosedAfterEach();

/** A Netlify context (Functions v2 / Edge): records what it was asked to wait for. */
function netlifyContext() {
  const waited: Promise<unknown>[] = [];
  return { waited, ip: "198.51.100.7", geo: { city: "Berlin" }, params: {}, waitUntil: (promise: Promise<unknown>) => void waited.push(promise) };
}

describe("toNetlifyHandler: (request, context)", () => {
  it("routes with params, exposes Netlify's context and IP, and event.waitUntil reaches context.waitUntil", async () => {
    const app = createApp();
    app.get("/users/:id", defineHandler((event) => {
      event.waitUntil(Promise.resolve("background"));
      const netlify = event.context.netlify as { geo: { city: string } };
      return { id: getRouterParam(event, "id"), city: netlify.geo.city, ip: getRequestIP(event), runtime: event.runtime?.name };
    }));
    const context = netlifyContext();
    const res = await toNetlifyHandler(app)(new Request("https://site.netlify.app/users/42"), context);
    expect(await res.json()).toEqual({ id: "42", city: "Berlin", ip: "198.51.100.7", runtime: "netlify" });
    expect(await Promise.all(context.waited)).toEqual(["background"]);
    // Netlify's own context object is left as it was (the router writes to h3's context, not to it).
    expect(context.params).toEqual({});
  });

  it("hands a stale-while-revalidate refresh to context.waitUntil", async () => {
    const app = createApp();
    let version = 0;
    const value = defineCachedFunction(async () => ++version, { name: "netlify-swr", maxAge: 1, staleMaxAge: 60, swr: true });
    app.get("/v", defineHandler(async () => ({ v: await value() })));
    const handler = toNetlifyHandler(app);
    const context = netlifyContext();
    expect(await (await handler(new Request("https://x/v"), context)).json()).toEqual({ v: 1 });
    await sleep(1100);
    context.waited.length = 0;
    expect(await (await handler(new Request("https://x/v"), context)).json()).toEqual({ v: 1 });
    expect(context.waited.length).toBeGreaterThan(0);
    await Promise.all(context.waited);
    expect(version).toBe(2);
  });

  it("works without a context (local calls)", async () => {
    const app = createApp();
    app.get("/", defineHandler(() => "home"));
    expect(await (await toNetlifyHandler(app)(new Request("https://x/"))).text()).toBe("home");
  });
});

describe("export default app.fetch (Vercel, `deno serve`, Bun)", () => {
  it("serves when called unbound with the request alone", async () => {
    const app = createApp();
    app.post("/echo", defineHandler(async (event) => ({ got: await event.req.json() })));
    const module = { fetch: app.fetch };
    const { fetch } = module;
    const res = await fetch(new Request("https://x/echo", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' }));
    expect(await res.json()).toEqual({ got: { a: 1 } });
  });
});
