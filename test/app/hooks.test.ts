import { describe, expect, it, vi } from "vitest";
import { definePlugin, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();
function makeApp(): NitroApp {
  const app = createApp();
  app.get("/hello", defineHandler(() => ({ message: "hi" })));
  app.get("/fail", defineHandler(() => {
    throw new Error("kaboom");
  }));
  return app;
}

describe("lifecycle hooks", () => {
  it("fires request → beforeResponse → response in order with Nitro 3's arguments: response is (res, event)", async () => {
    const app = makeApp();
    const seen: string[] = [];
    app.plugin(definePlugin((nitro) => {
      nitro.hooks.hook("request", (event) => void seen.push(`request ${event.url.pathname}`));
      nitro.hooks.hook("beforeResponse", (event, { body }) => void seen.push(`beforeResponse ${JSON.stringify(body)}`));
      nitro.hooks.hook("response", (res, event) => void seen.push(`response ${res.status} ${res.headers.get("content-type")} ${event.url.pathname}`));
    }));
    await request(app, "/hello");
    expect(seen).toEqual(["request /hello", 'beforeResponse {"message":"hi"}', "response 200 application/json;charset=UTF-8 /hello"]);
  });

  it("lets a response hook change the response's headers, as Nitro's plugins example does", async () => {
    const app = makeApp();
    app.plugin(definePlugin((nitro) => {
      nitro.hooks.hook("response", (res) => void res.headers.set("x-served-by", "nitrokit"));
    }));
    const res = await request(app, "/hello");
    expect(res.headers.get("x-served-by")).toBe("nitrokit");
    expect(await res.json()).toEqual({ message: "hi" });
  });

  it("lets beforeResponse replace the body", async () => {
    const app = makeApp();
    app.hooks.hook("beforeResponse", (_event, context) => {
      context.body = { ...(context.body as object), wrapped: true };
    });
    expect(await (await request(app, "/hello")).json()).toEqual({ message: "hi", wrapped: true });
  });

  it("reports request errors to the error hook with the event and tags", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp();
    const errors: Array<{ message: string; path?: string; tags: string[] }> = [];
    app.hooks.hook("error", (error, { event, tags }) => void errors.push({ message: error.message, path: event?.url.pathname, tags }));
    const res = await request(app, "/fail");
    expect(res.status).toBe(500);
    expect(errors).toEqual([{ message: "kaboom", path: "/fail", tags: ["request"] }]);
  });

  it("a throwing hook never breaks the response; its error goes to the error hook", async () => {
    const app = makeApp();
    const errors: string[] = [];
    app.hooks.hook("error", (error, { tags }) => void errors.push(`${tags.join(",")}:${error.message}`));
    app.hooks.hook("request", () => {
      throw new Error("request hook bug");
    });
    let laterRan = false;
    app.hooks.hook("request", () => void (laterRan = true));
    app.hooks.hook("response", async () => {
      throw new Error("response hook bug");
    });
    const res = await request(app, "/hello");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: "hi" });
    expect(laterRan).toBe(true);
    expect(errors).toEqual(["hook,request:request hook bug", "hook,response:response hook bug"]);
  });

  it("an error hook that throws is logged, not thrown", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp();
    app.hooks.hook("error", () => {
      throw new Error("tracker down");
    });
    expect((await request(app, "/fail")).status).toBe(500);
    expect(log.mock.calls.some((call) => String(call[0]).includes("`error` hook threw"))).toBe(true);
  });

  it("refuses Nitro 2's afterResponse, naming response (whose arguments differ)", () => {
    const app = makeApp();
    expect(() => app.hooks.hook("afterResponse" as "response", () => {})).toThrow(/afterResponse.*use `response`.*\(res, event\)/);
    expect(() => app.hooks.hookOnce("afterResponse" as "response", () => {})).toThrow(/afterResponse/);
  });

  it("a throwing hook is logged with console.error when no error hook is registered", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp();
    app.hooks.hook("request", () => {
      throw new Error("request hook bug");
    });
    app.hooks.hook("response", async () => {
      throw new Error("response hook bug");
    });
    app.hooks.hook("close", () => {
      throw new Error("close hook bug");
    });
    const res = await request(app, "/hello");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: "hi" });
    await app.close();
    const logged = log.mock.calls.map((call) => `${String(call[0])} ${(call[1] as Error).message}`);
    expect(logged).toEqual([
      expect.stringMatching(/`request` hook threw on GET \/hello.* request hook bug$/),
      expect.stringMatching(/`response` hook threw on GET \/hello.* response hook bug$/),
      expect.stringMatching(/`close` hook threw.* close hook bug$/),
    ]);
  });

  it("a throwing close hook goes to the error hook when one is registered", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp();
    const errors: string[] = [];
    app.hooks.hook("error", (error, { tags }) => void errors.push(`${tags.join(",")}:${error.message}`));
    app.hooks.hook("close", () => {
      throw new Error("close hook bug");
    });
    await app.close();
    expect(errors).toEqual(["close:close hook bug"]);
    expect(log).not.toHaveBeenCalled();
  });

  it("unregistering hooks restores the no-hook path", async () => {
    const app = makeApp();
    const calls: string[] = [];
    const off = app.hooks.hook("response", () => void calls.push("response"));
    await request(app, "/hello");
    off();
    await request(app, "/hello");
    expect(calls).toEqual(["response"]);
    expect(app.hooks.has("response")).toBe(false);
  });

  it("a call runs the listeners registered when it starts: hookOnce, and listeners added or removed meanwhile, count from the next call", async () => {
    const app = makeApp();
    const calls: string[] = [];
    app.hooks.hookOnce("request", () => void calls.push("once"));
    let unregisterLast: () => void = () => {};
    app.hooks.hook("request", () => {
      calls.push("adder");
      app.hooks.hook("request", () => void calls.push("added"));
      unregisterLast();
    });
    unregisterLast = app.hooks.hook("request", () => void calls.push("last"));
    await request(app, "/hello");
    expect(calls).toEqual(["once", "adder", "last"]);
    calls.length = 0;
    await request(app, "/hello");
    expect(calls).toEqual(["adder", "added"]);
  });

  it("one listener that adds another during the call: the new one waits for the next call", async () => {
    const app = makeApp();
    const calls: string[] = [];
    const off = app.hooks.hook("request", () => {
      calls.push("first");
      off();
      app.hooks.hook("request", () => void calls.push("second"));
    });
    await request(app, "/hello");
    expect(calls).toEqual(["first"]);
    await request(app, "/hello");
    expect(calls).toEqual(["first", "second"]);
  });

  it("hookable's beforeEach/afterEach debuggers see request hook calls", async () => {
    const app = makeApp();
    const seen: string[] = [];
    app.hooks.hook("request", () => void seen.push("listener"));
    const offBefore = app.hooks.beforeEach((event) => void seen.push(`before ${event.name}`));
    const offAfter = app.hooks.afterEach((event) => void seen.push(`after ${event.name}`));
    await request(app, "/hello");
    offBefore();
    offAfter();
    expect(seen).toEqual(["before request", "listener", "after request"]);
  });
});
