// A typed app for the type tests in this folder (checked by `tsc --noEmit`; see README.md here).
import { z } from "zod";
import { createNitroApp, defineTypedHandler } from "../../../src/index.js";
import { defineHandler, defineValidatedHandler } from "../../../src/h3.js";

const user = z.object({ id: z.number(), name: z.string(), createdAt: z.date() });

export const updateUser = defineTypedHandler({
  validate: {
    params: z.object({ id: z.coerce.number().int() }),
    body: z.object({ name: z.string().min(1) }),
    response: z.object({ ok: z.literal(true), id: z.number() }),
  },
  handler: (_event, { params }) => ({ ok: true as const, id: params.id }),
});

export function createTypedApp() {
  return createNitroApp()
    .get("/api/hello", defineHandler(() => ({ message: "hi", at: new Date(), secret: undefined as string | undefined, fn: () => 1 })))
    .get("/api/users/:id", {
      validate: {
        params: z.object({ id: z.coerce.number().int() }),
        query: z.object({ expand: z.enum(["posts", "comments"]).optional() }),
      },
      handler: (_event, { params, query }) => ({ id: params.id, expand: query.expand ?? null }),
    })
    .get("/api/users/:id/posts", (event) => [{ title: "x", author: event.context.params?.id ?? "" }])
    .post("/api/users", {
      validate: { body: z.object({ name: z.string().min(1), age: z.number().int().optional() }), response: user },
      handler: async (_event, { body }) => ({ id: 1, name: body.name, createdAt: new Date() }),
    })
    .put("/api/users/:id", updateUser)
    .get("/api/search", {
      validate: { query: z.object({ q: z.string(), page: z.coerce.number().optional() }) },
      handler: (_event, { query }) => ({ q: query.q, page: query.page ?? 1 }),
    })
    .post(
      "/api/h3-validated",
      defineValidatedHandler({
        validate: { body: z.object({ title: z.string() }) },
        handler: async (event) => ({ title: (await event.req.json()).title }),
      }),
    )
    .all("/api/any", () => "any method")
    .get("/api/raw", { fetch: () => new Response("raw") })
    .get("/files/**:path", (event) => ({ path: event.context.params?.path ?? "" }));
}

export const app = createTypedApp();
export type TypedApp = typeof app;
