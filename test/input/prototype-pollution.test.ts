import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler, defineValidatedHandler, getQuery, getValidatedQuery, readBody, readValidatedBody } from "../../src/h3.js";
import { json, request, serveOnLoopback } from "../helpers.js";

/** The merge a hurried app writes: the shape that turns `__proto__` into pollution. */
function deepMerge(target: Record<string, unknown>, source: unknown): Record<string, unknown> {
  if (typeof source !== "object" || source === null) return target;
  for (const key in source) {
    const value = (source as Record<string, unknown>)[key];
    if (typeof value === "object" && value !== null) {
      target[key] ??= Array.isArray(value) ? [] : {};
      deepMerge(target[key] as Record<string, unknown>, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

const polluted = () => ({}) as Record<string, unknown>;

const apps: NitroApp[] = [];
function makeApp(): NitroApp {
  const app = createNitroApp();
  app.post("/body", defineHandler(async (event) => deepMerge({}, await readBody(event))));
  app.post("/form", defineHandler(async (event) => deepMerge({}, await readBody(event, { type: "formData" }))));
  app.post("/validated", defineHandler(async (event) => deepMerge({}, await readValidatedBody(event, (body) => body !== undefined))));
  app.post("/typed", {
    validate: { body: z.record(z.string(), z.unknown()) },
    handler: (_event, { body }) => deepMerge({}, body),
  });
  // Nitro 3's docs read bodies this way.
  app.post("/req-json", defineHandler(async (event) => deepMerge({}, await event.req.json())));
  app.post("/h3-validated", defineValidatedHandler({
    validate: { body: z.record(z.string(), z.unknown()) },
    handler: async (event) => deepMerge({}, await event.req.json()),
  }));
  app.get("/query", defineHandler((event) => deepMerge({}, getQuery(event))));
  app.get("/validated-query", defineHandler(async (event) => deepMerge({}, await getValidatedQuery(event, (query) => query !== undefined))));
  apps.push(app);
  return app;
}

afterEach(async () => {
  // A failing assertion must not leave the worker polluted for the next test.
  delete (Object.prototype as Record<string, unknown>).polluted;
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function expectRefused(res: Response, key: string): Promise<void> {
  expect(polluted().polluted).toBeUndefined();
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body).toMatchObject({ status: 400, data: { key } });
  expect(body.message).toContain(key);
}

describe("no prototype pollution from parsed input", () => {
  it("refuses a JSON body with an own __proto__ key, plain or escaped, at any depth", async () => {
    const app = makeApp();
    const raw = (text: string) => ({ method: "POST", headers: { "content-type": "application/json" }, body: text });
    await expectRefused(await request(app, "/body", raw('{"__proto__":{"polluted":true}}')), "__proto__");
    await expectRefused(await request(app, "/body", raw('{"\\u005f_proto__":{"polluted":true}}')), "__proto__");
    await expectRefused(await request(app, "/body", raw('{"a":[{"b":{"__proto__":{"polluted":true}}}]}')), "__proto__");
    await expectRefused(await request(app, "/validated", raw('{"__proto__":{"polluted":true}}')), "__proto__");
    await expectRefused(await request(app, "/typed", raw('{"__proto__":{"polluted":true}}')), "__proto__");
    await expectRefused(await request(app, "/req-json", raw('{"\\u005f_proto__":{"polluted":true}}')), "__proto__");
    await expectRefused(await request(app, "/h3-validated", raw('{"__proto__":{"polluted":true}}')), "__proto__");
  });

  it("refuses a constructor.prototype chain in JSON", async () => {
    const app = makeApp();
    await expectRefused(await request(app, "/body", json({ constructor: { prototype: { polluted: true } } })), "constructor.prototype");
    await expectRefused(await request(app, "/validated", json({ a: { constructor: { prototype: { polluted: true } } } })), "constructor.prototype");
    await expectRefused(await request(app, "/typed", json({ constructor: { prototype: { polluted: true } } })), "constructor.prototype");
    await expectRefused(await request(app, "/req-json", json({ constructor: { prototype: { polluted: true } } })), "constructor.prototype");
  });

  it("lets legitimate keys through, `constructor` included when it is plain data", async () => {
    const app = makeApp();
    const body = { team: { constructor: "Ferrari", prototype: "SF-25" }, tags: ["a", "b"], proto: 1 };
    for (const path of ["/body", "/validated", "/typed", "/req-json", "/h3-validated"]) {
      const res = await request(app, path, json(body));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(body);
    }
  });

  it("refuses form fields named __proto__ (urlencoded and multipart), accepts bracket spellings as plain names", async () => {
    const app = makeApp();
    const urlencoded = (text: string) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: text });
    await expectRefused(await request(app, "/body", urlencoded("__proto__=a&__proto__=b")), "__proto__");
    await expectRefused(await request(app, "/body", urlencoded("%5F%5Fproto%5F%5F=x")), "__proto__");
    const res = await request(app, "/body", urlencoded("__proto__[polluted]=1&constructor[prototype][polluted]=1&name=Ada"));
    expect(res.status).toBe(200);
    expect(polluted().polluted).toBeUndefined();
    expect(await res.json()).toEqual({ "__proto__[polluted]": "1", "constructor[prototype][polluted]": "1", name: "Ada" });

    const form = new FormData();
    form.append("__proto__", "x");
    await expectRefused(await request(app, "/form", { method: "POST", body: form }), "__proto__");
    const fine = new FormData();
    fine.append("name", "Ada");
    expect(await (await request(app, "/form", { method: "POST", body: fine })).json()).toEqual({ name: "Ada" });
  });

  it("refuses a __proto__ query parameter; bracket spellings stay flat names", async () => {
    const app = makeApp();
    await expectRefused(await request(app, "/query?__proto__=a&__proto__=b"), "__proto__");
    await expectRefused(await request(app, "/query?%5f%5f%70%72%6f%74%6f%5f%5f=x"), "__proto__");
    await expectRefused(await request(app, "/validated-query?__proto__=a"), "__proto__");

    for (const query of ["__proto__[polluted]=1", "constructor[prototype][polluted]=1"]) {
      const res = await request(app, `/query?${query}&page=2`);
      expect(res.status).toBe(200);
      expect(polluted().polluted).toBeUndefined();
      expect(await res.json()).toEqual({ [decodeURIComponent(query.split("=")[0]!)]: "1", page: "2" });
    }
  });

  it("guards event.req.json() and readBody over real HTTP on Node too, and the server keeps its request intact", async () => {
    const app = makeApp();
    app.post("/echo-meta", defineHandler(async (event) => ({ method: event.req.method, type: event.req.headers.get("content-type"), body: await event.req.json() })));
    const { server, base } = await serveOnLoopback(app);
    try {
      const post = (path: string, body: string) => fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body });
      await expectRefused(await post("/req-json", '{"a":{"__proto__":{"polluted":true}}}'), "__proto__");
      await expectRefused(await post("/body", '{"__proto__":{"polluted":true}}'), "__proto__");
      expect(await (await post("/echo-meta", '{"name":"Ada"}')).json()).toEqual({ method: "POST", type: "application/json", body: { name: "Ada" } });
    } finally {
      await server.close();
    }
  });

  it("answers through h3's validation exactly as h3 does for everything else", async () => {
    const app = makeApp();
    app.post("/schema", defineHandler((event) => readValidatedBody(event, z.object({ name: z.string() }))));
    const bad = await request(app, "/schema", json({ name: 1 }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).data.issues[0].path).toEqual(["name"]);
    expect(await (await request(app, "/schema", json({ name: "Ada", extra: 1 }))).json()).toEqual({ name: "Ada" });
  });
});
