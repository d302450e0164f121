/**
 * A handler's plain object leaves as JSON without h3's `toResponse` (app/app-h3.ts). The answer
 * must be byte for byte what h3 itself sends, for every kind of value a handler returns, and h3
 * must keep answering wherever anything else shapes the response: `event.res`, HEAD, `onDispose`,
 * middleware that reads the value, hooks, rules. Each case is checked against a plain h3 app, in
 * process and over real HTTP through `nitrokit/node`.
 */
import { describe, expect, it } from "vitest";
import { H3, defineHandler, onDispose, type EventHandler } from "h3";
import { serve as serveH3 } from "h3";
import { appsClosedAfterEach, request, serveOnLoopback } from "../helpers.js";
import { rawRequest } from "../fixtures/http.js";

const createApp = appsClosedAfterEach();

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

/** Handler values whose answer h3 decides one way or another; each must come out the same. */
const values: Record<string, () => unknown> = {
  "plain object": () => ({ message: "Hello", nested: { list: [1, "two", null] } }),
  "array": () => [1, 2, { three: 3 }],
  "empty object": () => ({}),
  "null-prototype object": () => Object.assign(Object.create(null) as object, { a: 1 }),
  "Date (toJSON)": () => new Date(Date.UTC(2026, 11, 5)),
  "object with toJSON": () => ({ toJSON: () => ({ replaced: true }) }),
  "class instance": () => new Point(1, 2),
  "Map": () => new Map([["a", 1]]),
  "unicode": () => ({ text: "héllo ✓ 你好" }),
  "string": () => "text",
  "number": () => 42,
  "null": () => null,
  "async plain object": async () => ({ later: true }),
};

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function read(response: Response): Promise<Answer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: await response.text() };
}

function h3Answer(handler: EventHandler, method = "GET"): Promise<Answer> {
  const h3 = new H3();
  h3.all("/value", handler);
  return Promise.resolve(h3.fetch(new Request("http://localhost/value", { method }))).then(read);
}

describe("plain JSON answers (app-h3.ts) match h3's", () => {
  for (const [kind, value] of Object.entries(values)) {
    it(`in process: ${kind}`, async () => {
      const app = createApp();
      app.get("/value", defineHandler(value));
      const ours = await read(await request(app, "/value"));
      expect(ours).toEqual(await h3Answer(defineHandler(value)));
    });
  }

  it("over HTTP on Node: the same status line, headers and bytes as h3's own server", async () => {
    const app = createApp();
    const h3 = new H3();
    for (const [index, value] of Object.values(values).entries()) {
      app.get(`/v${index}`, defineHandler(value));
      h3.get(`/v${index}`, defineHandler(value));
    }
    const { server, base } = await serveOnLoopback(app);
    const peer = serveH3(h3, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
    await peer.ready();
    try {
      for (let index = 0; index < Object.keys(values).length; index++) {
        const [ours, theirs] = await Promise.all([rawRequest(`${base}/v${index}`), rawRequest(`${peer.url!.replace(/\/$/, "")}/v${index}`)]);
        const drop = ({ date: _date, ...rest }: Record<string, unknown>) => rest;
        expect({ ...ours, headers: drop(ours.headers) }, Object.keys(values)[index]).toEqual({ ...theirs, headers: drop(theirs.headers) });
      }
    } finally {
      await Promise.all([server.close(), peer.close()]);
    }
  });

  it("leaves the answer to h3 when the handler set a status or headers on event.res", async () => {
    const app = createApp();
    const handler = defineHandler((event) => {
      event.res.status = 201;
      event.res.headers.set("x-own", "1");
      event.res.headers.set("content-type", "application/vnd.thing+json");
      return { created: true };
    });
    app.post("/things", handler);
    const ours = await read(await request(app, "/things", { method: "POST" }));
    expect(ours).toEqual(await h3Answer(handler, "POST"));
    expect(ours.status).toBe(201);
    expect(ours.headers["content-type"]).toBe("application/vnd.thing+json");
  });

  it("HEAD gets h3's answer: the headers, no body", async () => {
    const app = createApp();
    const handler = defineHandler(() => ({ message: "Hello" }));
    app.get("/value", handler);
    const ours = await read(await request(app, "/value", { method: "HEAD" }));
    expect(ours).toEqual(await h3Answer(handler, "HEAD"));
    expect(ours.body).toBe("");
  });

  it("onDispose listeners still fire once the answer is sent", async () => {
    const app = createApp();
    let disposed = 0;
    app.get(
      "/value",
      defineHandler((event) => {
        onDispose(event, () => void disposed++);
        return { ok: true };
      }),
    );
    const { server, base } = await serveOnLoopback(app);
    try {
      const answer = await rawRequest(`${base}/value`);
      expect(JSON.parse(answer.body)).toEqual({ ok: true });
      await expect.poll(() => disposed).toBe(1);
    } finally {
      await server.close();
    }
  });

  it("middleware that reads or replaces next()'s value sees the handler's object, not a response", async () => {
    const app = createApp({
      middleware: [
        async (event, next) => {
          const value = await next();
          expect(value).toEqual({ from: "handler" });
          return { ...(value as object), wrapped: true };
        },
      ],
    });
    app.get("/value", defineHandler(() => ({ from: "handler" })));
    const answer = await request(app, "/value");
    expect(answer.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(await answer.json()).toEqual({ from: "handler", wrapped: true });
  });

  it("a path whose escapes do not decode is still refused with 400, before any handler runs", async () => {
    const app = createApp();
    let handled = 0;
    app.get("/**", defineHandler(() => ({ handled: ++handled })));
    const refused = await request(app, "/value%E0%A4%A");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ status: 400 });
    expect(handled).toBe(0);
    expect(await (await request(app, "/value")).json()).toEqual({ handled: 1 });
  });

  it("a header middleware sets on event.res after the handler ran reaches the answer", async () => {
    const app = createApp({
      middleware: [
        (event, next) => {
          const value = next();
          event.res.headers.set("x-after", "1");
          return value;
        },
      ],
    });
    app.get("/value", defineHandler(() => ({ a: 1 })));
    const { server, base } = await serveOnLoopback(app);
    try {
      for (const answer of [await request(app, "/value"), await rawRequest(`${base}/value`)]) {
        const headers = answer instanceof Response ? Object.fromEntries(answer.headers) : answer.headers;
        expect(headers["x-after"]).toBe("1");
        expect(headers["content-type"]).toBe("application/json;charset=UTF-8");
      }
    } finally {
      await server.close();
    }
  });

  it("hooks see and change what they always did", async () => {
    const seen: string[] = [];
    const app = createApp();
    app.hooks.hook("beforeResponse", (_event, context) => {
      context.body = { replaced: context.body };
    });
    app.hooks.hook("response", (response) => {
      seen.push(response.headers.get("content-type") ?? "");
      response.headers.set("x-hook", "1");
    });
    app.get("/value", defineHandler(() => ({ a: 1 })));
    const answer = await request(app, "/value");
    expect(await answer.json()).toEqual({ replaced: { a: 1 } });
    expect(answer.headers.get("x-hook")).toBe("1");
    expect(seen).toEqual(["application/json;charset=UTF-8"]);
  });

  it("on Node, what the response hook changes or reads reaches the wire (the listener then asks srvx for the response)", async () => {
    const app = createApp({ routeRules: { "/value": { headers: { "x-rule": "1" } } } });
    const seen: string[] = [];
    app.hooks.hook("response", async (response) => {
      response.headers.set("x-hook", "1");
      seen.push(await response.clone().text());
    });
    app.get("/value", defineHandler(() => ({ a: 1 })));
    const { server, base } = await serveOnLoopback(app);
    try {
      const answer = await rawRequest(`${base}/value`);
      expect(answer.headers["x-hook"]).toBe("1");
      expect(answer.headers["x-rule"]).toBe("1");
      expect(answer.headers["content-type"]).toBe("application/json;charset=UTF-8");
      expect(JSON.parse(answer.body)).toEqual({ a: 1 });
      expect(seen).toEqual(['{"a":1}']);
    } finally {
      await server.close();
    }
  });

  it("answers share their header lists, yet what a hook changes in one answer never reaches the next", async () => {
    const app = createApp({ routeRules: { "/api/**": { headers: { "x-rule": "1" } } } });
    let calls = 0;
    app.hooks.hook("response", (response) => {
      if (++calls % 2 === 1) {
        response.headers.delete("x-rule");
        response.headers.set("content-type", "text/plain");
        response.headers.append("x-odd", "1");
      }
    });
    app.get("/api/value", defineHandler(() => ({ a: 1 })));
    const { server, base } = await serveOnLoopback(app);
    try {
      for (let round = 0; round < 2; round++) {
        const changed = await rawRequest(`${base}/api/value`);
        expect([changed.headers["x-rule"], changed.headers["content-type"], changed.headers["x-odd"]]).toEqual([undefined, "text/plain", "1"]);
        const untouched = await rawRequest(`${base}/api/value`);
        expect([untouched.headers["x-rule"], untouched.headers["content-type"], untouched.headers["x-odd"]]).toEqual(["1", "application/json;charset=UTF-8", undefined]);
        expect(JSON.parse(untouched.body)).toEqual({ a: 1 });
      }
      const inProcess = await request(app, "/api/value");
      expect(inProcess.headers.get("x-odd")).toBe("1");
      const next = await request(app, "/api/value");
      expect([next.headers.get("x-rule"), next.headers.get("x-odd")]).toEqual(["1", null]);
    } finally {
      await server.close();
    }
  });

  it("headers rules join the JSON answer and win over its content type, later rules over earlier ones", async () => {
    const app = createApp({
      routeRules: {
        "/api/**": { headers: { "x-rule": "api", "content-type": "application/problem+json" } },
        "/api/deep/**": { headers: { "x-rule": "deep" } },
      },
    });
    app.get("/api/deep/value", defineHandler(() => ({ a: 1 })));
    const { server, base } = await serveOnLoopback(app);
    try {
      const answer = await rawRequest(`${base}/api/deep/value`);
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("application/problem+json");
      expect(answer.headers["x-rule"]).toBe("deep");
      expect(answer.headers["content-length"]).toBe(String(Buffer.byteLength(answer.body)));
      expect(JSON.parse(answer.body)).toEqual({ a: 1 });
    } finally {
      await server.close();
    }
  });
});
