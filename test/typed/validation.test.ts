import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createNitroApp, defineTypedHandler, type NitroApp, type ValidationErrorData } from "../../src/index.js";
import { H3, defineHandler, defineMiddleware, defineValidatedHandler, readBody } from "../../src/h3.js";
import { json, request } from "../helpers.js";

const apps: NitroApp[] = [];
function track<A extends NitroApp>(app: A): A {
  apps.push(app);
  return app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  vi.restoreAllMocks();
});

const userId = z.object({ id: z.coerce.number().int().positive() });
const listQuery = z.object({ page: z.coerce.number().int().min(1).default(1), tags: z.array(z.string()).or(z.string()).optional() });
const newUser = z.object({ name: z.string().min(1), email: z.email(), age: z.number().int().optional() });

function usersApp(config = {}) {
  return track(
    createNitroApp(config)
      .get("/api/users/:id", {
        validate: { params: userId, query: listQuery },
        handler: (_event, { params, query }) => ({ id: params.id, page: query.page, tags: query.tags ?? null, idType: typeof params.id }),
      })
      .post("/api/users/:id/notes", {
        validate: { params: userId, query: z.object({ notify: z.enum(["yes", "no"]) }), body: newUser },
        handler: (_event, input) => input,
      }),
  );
}

async function issuesOf(response: Response): Promise<{ status: number; message: string; issues: ValidationErrorData["issues"] }> {
  const body = (await response.json()) as { status: number; message: string; data: ValidationErrorData };
  return { status: body.status, message: body.message, issues: body.data.issues };
}

describe("validated routes", () => {
  it("hands the handler parsed values: coerced params, query defaults, the body", async () => {
    const app = usersApp();
    expect(await app.$fetch("/api/users/12?tags=a&tags=b")).toEqual({ id: 12, page: 1, tags: ["a", "b"], idType: "number" });
    const res = await request(app, "/api/users/3/notes?notify=yes", json({ name: "Ada", email: "ada@example.com" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      params: { id: 3 },
      query: { notify: "yes" },
      body: { name: "Ada", email: "ada@example.com" },
    });
  });

  it("answers bad input with 400 listing every issue of params, query and body at once", async () => {
    const app = usersApp();
    const res = await request(app, "/api/users/abc/notes?notify=maybe", json({ name: "", email: "not-an-email", age: 1.5 }));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/json");
    const { status, message, issues } = await issuesOf(res);
    expect(status).toBe(400);
    expect(issues.map(({ source, path }) => [source, path])).toEqual([
      ["params", ["id"]],
      ["query", ["notify"]],
      ["body", ["name"]],
      ["body", ["email"]],
      ["body", ["age"]],
    ]);
    for (const issue of issues) expect(issue.message).toEqual(expect.any(String));
    expect(message).toMatch(/^Invalid params\.id: .+ \(and 4 more issues\)$/);
  });

  it("reports a missing body, invalid JSON and a wrong content as 400s; nested paths keep their indexes", async () => {
    const app = track(
      createNitroApp().post("/api/orders", {
        validate: { body: z.object({ items: z.array(z.object({ sku: z.string(), qty: z.number().positive() })).min(1) }) },
        handler: (_event, { body }) => ({ count: body.items.length }),
      }),
    );
    const missing = await issuesOf(await request(app, "/api/orders", { method: "POST" }));
    expect(missing.issues).toEqual([{ source: "body", path: [], message: expect.any(String) }]);
    expect(missing.message).toMatch(/^Invalid body: /);

    const broken = await request(app, "/api/orders", { method: "POST", headers: { "content-type": "application/json" }, body: "{ nope" });
    expect(broken.status).toBe(400);

    const nested = await issuesOf(await request(app, "/api/orders", json({ items: [{ sku: "a", qty: 1 }, { sku: 2, qty: -1 }] })));
    expect(nested.issues.map((issue) => issue.path)).toEqual([
      ["items", 1, "sku"],
      ["items", 1, "qty"],
    ]);
    expect(await app.$fetch("/api/orders", { method: "POST", body: { items: [{ sku: "a", qty: 2 }] } })).toEqual({ count: 1 });
  });

  it("validates form bodies too (h3's readBody parses them)", async () => {
    const app = track(
      createNitroApp().post("/api/login", {
        validate: { body: z.object({ user: z.string(), remember: z.enum(["on"]).optional() }) },
        handler: (_event, { body }) => body,
      }),
    );
    const form = new URLSearchParams({ user: "ada", remember: "on" });
    const res = await request(app, "/api/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
    expect(await res.json()).toEqual({ user: "ada", remember: "on" });
  });

  it("checks results against a response schema: strips what it does not declare, 500 without details on a mismatch", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const make = (dev: boolean) =>
      track(
        createNitroApp({ dev })
          .get("/api/me", {
            validate: { response: z.object({ id: z.number(), name: z.string() }) },
            handler: () => ({ id: 1, name: "Ada", passwordHash: "secret" }),
          })
          .get("/api/broken", {
            validate: { response: z.object({ id: z.number() }) },
            // A bug the types would catch, here on purpose.
            handler: () => ({ id: "1" }) as unknown as { id: number },
          }),
      );
    const prod = make(false);
    expect(await prod.$fetch("/api/me")).toEqual({ id: 1, name: "Ada" });
    const broken = await request(prod, "/api/broken");
    expect(broken.status).toBe(500);
    expect(JSON.stringify(await broken.json())).not.toContain("response schema");
    expect(errors).toHaveBeenCalledWith("[nitrokit] GET /api/broken:", expect.objectContaining({ message: expect.stringContaining("does not match its response schema: id:") }));

    const dev = make(true);
    const devBody = (await (await request(dev, "/api/broken")).json()) as { message: string };
    expect(devBody.message).toContain("does not match its response schema");
  });

  it("keeps plain handlers, statement-style registration and Responses working beside typed routes", async () => {
    const app = track(createNitroApp());
    app.get("/api/plain", defineHandler(() => ({ plain: true })));
    app.post("/api/echo", defineHandler(async (event) => ({ echo: await readBody(event) })));
    app.get("/api/typed/:slug", { validate: { params: z.object({ slug: z.string().regex(/^[a-z-]+$/) }) }, handler: (_e, { params }) => new Response(params.slug) });
    expect(await app.$fetch("/api/plain")).toEqual({ plain: true });
    expect(await app.$fetch("/api/echo", { method: "POST", body: { a: 1 } })).toEqual({ echo: { a: 1 } });
    expect(await (await request(app, "/api/typed/hello-world")).text()).toBe("hello-world");
    expect((await request(app, "/api/typed/NOPE")).status).toBe(400);
  });

  it("runs handlers defined in their own module, with their meta and middleware; h3 apps can use them too", async () => {
    const calls: string[] = [];
    const createItem = defineTypedHandler({
      validate: { body: z.object({ title: z.string() }) },
      meta: { openAPI: { summary: "Create an item" } },
      middleware: [defineMiddleware(() => void calls.push("route middleware"))],
      handler: (_event, { body }) => ({ created: body.title }),
    });
    expect(createItem.meta).toEqual({ openAPI: { summary: "Create an item" } });
    const app = track(createNitroApp({ baseURL: "/base" }).post("/items", createItem));
    // app.$fetch resolves paths under baseURL, as Nitro's does; the route map has them without it.
    expect(await app.$fetch("/items", { method: "POST", body: { title: "x" } })).toEqual({ created: "x" });
    expect((await request(app, "/base/items", json({ title: "y" }))).status).toBe(200);
    expect(calls).toEqual(["route middleware", "route middleware"]);

    const h3 = new H3().post("/items", createItem);
    const res = await h3.request("/items", { method: "POST", body: JSON.stringify({}), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
  });

  it("serves h3's own defineValidatedHandler unchanged", async () => {
    const app = track(
      createNitroApp().post(
        "/api/h3",
        defineValidatedHandler({ validate: { body: z.object({ n: z.number() }) }, handler: async (event) => ({ n: (await event.req.json()).n }) }),
      ),
    );
    expect(await app.$fetch("/api/h3", { method: "POST", body: { n: 2 } })).toEqual({ n: 2 });
    const res = await request(app, "/api/h3", json({ n: "2" }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { data: { issues: unknown[] } }).data.issues).toHaveLength(1);
  });

  it("refuses malformed definitions when they are registered", () => {
    const app = track(createNitroApp());
    // @ts-expect-error: not a schema
    expect(() => app.get("/a", { validate: { body: { name: "string" } }, handler: () => 1 })).toThrow("validate.body must be a zod schema");
    // @ts-expect-error: `headers` is h3's key; typed routes check params, query, body and response
    expect(() => app.get("/b", { validate: { headers: z.object({}) }, handler: () => 1 })).toThrow("Unknown key validate.headers");
  });

  it("fills a pattern's path params for $fetch, URL-encoded, and names a missing one", async () => {
    const app = track(
      createNitroApp()
        .get("/api/files/:dir/**:rest", (event) => ({ params: event.context.params }))
        .get("/api/users/:id", { validate: { params: userId }, handler: (_e, { params }) => params }),
    );
    expect(await app.$fetch("/api/users/:id", { pathParams: { id: 5 } })).toEqual({ id: 5 });
    expect(await app.$fetch("/api/files/:dir/**:rest", { pathParams: { dir: "a b", rest: "x/y z.txt" } })).toEqual({
      params: { dir: "a%20b", rest: "x/y%20z.txt" },
    });
    // @ts-expect-error: the id is missing, which the types catch before the runtime does
    await expect(app.$fetch("/api/users/:id", { pathParams: {} })).rejects.toThrow("/api/users/:id: missing path param 'id'");
  });
});
