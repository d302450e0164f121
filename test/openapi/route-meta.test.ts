import { fileURLToPath } from "node:url";
import { validate, compileErrors } from "@readme/openapi-parser";
import { describe, expect, it, vi } from "vitest";
import { defineHandler, defineRouteMeta, type OpenAPIDocument } from "../../src/index.js";
import { loadModules, registerRoutes } from "../../src/routing/index.js";
import { globModules } from "../../src/adapters/routing-node.js";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();
const fixture = fileURLToPath(new URL("../fixtures/route-meta", import.meta.url));
const loads = ((globalThis as { __routeMetaLoads?: string[] }).__routeMetaLoads ??= []);

async function documentOf(app: ReturnType<typeof createApp>): Promise<OpenAPIDocument> {
  const res = await request(app, "/_openapi.json");
  expect(res.status).toBe(200);
  const doc = (await res.json()) as OpenAPIDocument;
  const result = await validate(structuredClone(doc) as never);
  if (!result.valid) throw new Error(compileErrors(result));
  return doc;
}

describe("defineRouteMeta (Nitro's route meta, without a build step)", () => {
  it("feeds the OpenAPI document from route modules loaded lazily, before their first request", async () => {
    const app = createApp({ openAPI: true });
    registerRoutes(app, globModules(fixture));
    expect(loads).toEqual([]);

    const doc = await documentOf(app);
    expect(doc.paths["/api/hello"]!.get).toMatchObject({
      tags: ["greeting"],
      description: "Returns a greeting message",
      responses: { "200": { description: "Successful greeting" } },
    });
    expect(doc.paths["/api/hello"]!.get).not.toHaveProperty("$global");
    // `$global.components` hoisted to the top level, so the $ref resolves.
    expect(doc.components.schemas.Greeting).toEqual({ type: "object", properties: { message: { type: "string" } } });
    expect(doc.paths["/api/users/{id}"]!.get).toMatchObject({
      tags: ["users"],
      parameters: [
        { name: "id", in: "path", required: true },
        { in: "query", name: "include" },
      ],
      responses: { "200": { description: "User found" }, "404": { description: "User not found" } },
    });
    // As in Nitro, the path's `{id}` is inferred and the module's `parameters` are added to it.
    expect(doc.paths["/api/plain"]!.get).toEqual({ responses: { "200": { description: "Success" } } });
    expect([...loads].sort()).toEqual(["hello", "plain", "users/[id]"]);

    // The routes still serve as usual.
    expect(await (await request(app, "/api/hello")).json()).toEqual({ message: "Hello, world!" });
    expect(await (await request(app, "/api/users/7")).json()).toEqual({ id: "7", name: "Alice" });
  });

  it("finds the meta of modules already evaluated: a second app on the same files, and Vite's import.meta.glob keys", async () => {
    const first = createApp({ openAPI: true });
    registerRoutes(first, globModules(fixture));
    await documentOf(first);

    const second = createApp({ openAPI: true });
    // The map Vite's import.meta.glob("../fixtures/route-meta/routes/**/*.ts") gives: keys relative to this file.
    const viteGlob = {
      "../fixtures/route-meta/routes/api/hello.ts": () => import("../fixtures/route-meta/routes/api/hello.js"),
      "../fixtures/route-meta/routes/api/users/[id].get.ts": () => import("../fixtures/route-meta/routes/api/users/[id].get.js"),
    };
    registerRoutes(second, viteGlob, { root: "../fixtures/route-meta" });
    const doc = await documentOf(second);
    expect(doc.paths["/api/hello"]!.get).toMatchObject({ tags: ["greeting"] });
    expect(doc.paths["/api/users/{id}"]!.get).toMatchObject({ tags: ["users"] });
  });

  it("reads the meta of eager modules at registration", async () => {
    const app = createApp({ openAPI: true });
    registerRoutes(app, await loadModules(globModules(fixture)));
    const doc = await documentOf(app);
    expect(doc.paths["/api/hello"]!.get).toMatchObject({ tags: ["greeting"], description: "Returns a greeting message" });
  });

  it("finds the meta of a bundled chunk, whose file name says nothing of its route, by what it declared while imported", async () => {
    const app = createApp({ openAPI: true });
    registerRoutes(app, {
      "./routes/api/greeting.ts": () => import("../fixtures/route-meta/chunks/greeting-3f9a.js"),
      "./routes/api/plain.ts": () => import("../fixtures/route-meta/routes/api/plain.js"),
    });
    const doc = await documentOf(app);
    expect(doc.paths["/api/greeting"]!.get).toMatchObject({ summary: "Greeting from a chunk", tags: ["bundled"] });
    expect(doc.paths["/api/plain"]!.get).not.toHaveProperty("tags");
    expect(await (await request(app, "/api/greeting")).text()).toBe("hello from a chunk");
  });

  it("takes route meta given at registration: app.get(path, handler, { meta }) and a config handler's meta", async () => {
    const app = createApp({
      openAPI: true,
      handlers: [{ route: "/api/from-config", method: "get", handler: defineHandler(() => "ok"), meta: { openAPI: { summary: "From config" } } }],
    });
    app.get("/api/by-hand", defineHandler(() => "ok"), { meta: defineRouteMeta({ openAPI: { summary: "By hand", tags: ["manual"] } }) });
    const doc = await documentOf(app);
    expect(doc.paths["/api/by-hand"]!.get).toMatchObject({ summary: "By hand", tags: ["manual"] });
    expect(doc.paths["/api/from-config"]!.get).toMatchObject({ summary: "From config" });
  });

  it("lists a route whose module fails to import without its meta, with a warning naming the route", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const app = createApp({ openAPI: true });
    registerRoutes(app, {
      "./routes/api/broken.ts": () => Promise.reject(new Error("syntax error somewhere")),
      "./routes/api/hello.ts": () => import("../fixtures/route-meta/routes/api/hello.js"),
    });
    const doc = await documentOf(app);
    expect(doc.paths["/api/broken"]!.get).toEqual({ responses: { "200": { description: "Success" } } });
    expect(doc.paths["/api/hello"]!.get).toMatchObject({ tags: ["greeting"] });
    expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringMatching(/OpenAPI: ALL \/api\/broken is described without its route meta: .*routes\/api\/broken\.ts.*syntax error somewhere/),
    ]);
  });

  it("refuses meta that is not an object, naming what it got", () => {
    expect(() => defineRouteMeta("tags" as never)).toThrow(/defineRouteMeta\(\) expects an object.*got "tags"/);
    expect(() => defineRouteMeta({ openAPI: ["x"] } as never)).toThrow(/openAPI must be an OpenAPI Operation Object.*got an array/);
  });
});
