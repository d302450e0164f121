import { validate, compileErrors } from "@readme/openapi-parser";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { defineTypedHandler, type NitroConfig, type OpenAPIDocument } from "../../src/index.js";
import { defineHandler, defineValidatedHandler } from "../../src/h3.js";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();

/** Validates with @readme/openapi-parser (OpenAPI 3.1 schema plus its own checks) and returns the document. */
async function validDocument(doc: unknown): Promise<OpenAPIDocument> {
  const result = await validate(structuredClone(doc) as never);
  if (!result.valid) throw new Error(compileErrors(result));
  return doc as OpenAPIDocument;
}

async function documentOf(app: ReturnType<typeof createApp>, path = "/_openapi.json"): Promise<OpenAPIDocument> {
  const res = await request(app, path);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  return validDocument(await res.json());
}

const Category: z.ZodType<{ name: string; children: Array<{ name: string; children: unknown[] }> }> = z.lazy(() =>
  z.object({ name: z.string(), children: z.array(Category) }),
);

function catalogApp(config: NitroConfig = {}) {
  const app = createApp({ openAPI: true, ...config });
  app.get("/api/users/:id", {
    validate: {
      params: z.object({ id: z.coerce.number().int().describe("The user's id") }),
      query: z.object({ expand: z.enum(["posts", "comments"]).optional(), fields: z.string().describe("Comma-separated") }),
      response: z.object({ id: z.number(), name: z.string() }),
    },
    meta: { openAPI: { summary: "Get a user", tags: ["users"], operationId: "getUser" } },
    handler: (_event, { params }) => ({ id: params.id, name: "Ada" }),
  });
  app.post(
    "/api/users",
    defineTypedHandler({
      validate: { body: z.object({ name: z.string().min(1), email: z.email(), born: z.date().optional() }) },
      handler: (_event, { body }) => body,
    }),
  );
  app.put("/api/categories", { validate: { body: Category }, handler: (_event, { body }) => body });
  const Address = z.object({ city: z.string() }).meta({ id: "Address" });
  app.post("/api/shipments", { validate: { body: z.object({ from: Address, to: Address }) }, handler: () => "ok" });
  app.post(
    "/api/h3",
    defineValidatedHandler({ validate: { headers: z.object({ "x-api-key": z.string() }), body: z.object({ n: z.number() }) }, handler: () => "ok" }),
  );
  app.get("/api/plain", defineHandler(() => ({ plain: true })));
  app.all("/api/any", () => "any");
  app.get("/files/**:path", () => "file");
  app.get("/internal/health", defineHandler({ meta: { openAPI: false }, handler: () => "ok" }));
  app.route({ route: "/api/lazy", method: "get", lazy: true, handler: async () => ({ default: () => "lazy" }) });
  return app;
}

describe("OpenAPI document", () => {
  it("is off by default", async () => {
    expect((await request(createApp(), "/_openapi.json")).status).toBe(404);
    expect((await request(createApp({ openAPI: false }), "/_openapi.json")).status).toBe(404);
    expect((await request(createApp({ openAPI: { production: false } }), "/_openapi.json")).status).toBe(404);
  });

  it("describes every registered route with its schemas, and passes an OpenAPI 3.1 validator", async () => {
    const doc = await documentOf(catalogApp({ openAPI: { meta: { title: "Catalog", version: "2.1.0", description: "Test API" } } }));
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toEqual({ title: "Catalog", version: "2.1.0", description: "Test API" });
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/any", "/api/categories", "/api/h3", "/api/lazy", "/api/plain", "/api/shipments", "/api/users", "/api/users/{id}", "/files/{path}"]);

    const getUser = doc.paths["/api/users/{id}"]!.get!;
    expect(getUser).toMatchObject({ summary: "Get a user", tags: ["users"], operationId: "getUser" });
    expect(getUser.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: expect.objectContaining({ type: "integer", description: "The user's id" }) },
      { name: "expand", in: "query", required: false, schema: { type: "string", enum: ["posts", "comments"] } },
      { name: "fields", in: "query", required: true, schema: { type: "string", description: "Comma-separated" }, description: "Comma-separated" },
    ]);
    expect(getUser.responses).toMatchObject({
      "200": { content: { "application/json": { schema: { type: "object", required: ["id", "name"] } } } },
      "400": { content: { "application/json": { schema: { $ref: "#/components/schemas/ValidationError" } } } },
    });

    const createUser = doc.paths["/api/users"]!.post!;
    expect(createUser.requestBody).toMatchObject({
      required: true,
      content: { "application/json": { schema: { type: "object", required: ["name", "email"], properties: { born: {} } } } },
    });
    expect(doc.paths["/api/h3"]!.post!.parameters).toEqual([{ name: "x-api-key", in: "header", required: true, schema: { type: "string" } }]);
    expect(doc.paths["/api/plain"]!.get).toEqual({ responses: { "200": { description: "Success" } } });
    expect(Object.keys(doc.paths["/api/any"]!)).toEqual(["get", "post", "put", "patch", "delete"]);
    expect(doc.paths["/files/{path}"]!.get!.parameters).toEqual([{ name: "path", in: "path", required: true, schema: { type: "string" } }]);
  });

  it("moves recursive and named schemas into components, with references that resolve", async () => {
    const doc = await documentOf(catalogApp());
    const body = (doc.paths["/api/categories"]!.put!.requestBody as { content: Record<string, { schema: { $ref?: string } }> }).content["application/json"]!.schema;
    expect(body).toEqual({ $ref: "#/components/schemas/PutApiCategoriesBody" });
    expect(doc.components.schemas.PutApiCategoriesBody).toEqual({
      type: "object",
      properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/PutApiCategoriesBody" } } },
      required: ["name", "children"],
    });
    const shipment = (doc.paths["/api/shipments"]!.post!.requestBody as { content: Record<string, { schema: unknown }> }).content["application/json"]!.schema;
    expect(shipment).toMatchObject({ properties: { from: { $ref: "#/components/schemas/Address" }, to: { $ref: "#/components/schemas/Address" } } });
    expect(doc.components.schemas.Address).toMatchObject({ type: "object", properties: { city: { type: "string" } } });
    expect(JSON.stringify(doc)).not.toMatch(/"#\/\$defs\/|"\$ref":"#"/);
  });

  it("leaves out its own routes and hidden ones, and follows routes added later", async () => {
    const app = catalogApp();
    expect(Object.keys((await documentOf(app)).paths)).not.toContain("/internal/health");
    expect(JSON.stringify(await documentOf(app))).not.toMatch(/_openapi|_swagger/);
    app.delete("/api/users/:id", () => null);
    expect(Object.keys((await documentOf(app)).paths["/api/users/{id}"]!)).toEqual(["get", "delete"]);
  });

  it("serves at a configured route, under baseURL, with the base as its server", async () => {
    const app = catalogApp({ baseURL: "/v2", openAPI: { route: "/docs/openapi.json" } });
    const doc = await documentOf(app, "/v2/docs/openapi.json");
    expect(doc.servers).toEqual([{ url: "/v2" }]);
    expect(doc.paths["/api/plain"]).toBeDefined();
  });

  it("is switched on by Nitro's experimental.openAPI too; production: false limits it to dev", async () => {
    await documentOf(createApp({ experimental: { openAPI: true } }));
    await documentOf(createApp({ dev: true, openAPI: { production: false } }));
  });

  it("checks its config", () => {
    expect(() => createApp({ openAPI: "yes" as never })).toThrow(/openAPI: expected true, false or an object/);
    expect(() => createApp({ openAPI: { route: "openapi.json" } })).toThrow(/openAPI\.route: must start with '\/'/);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    createApp({ openAPI: { ui: { scalar: { theme: "purple" } } } });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("openAPI.ui.scalar is not served by nitrokit"));
  });

  it("uses a validator that rejects invalid documents (so the checks above mean something)", async () => {
    const broken = { openapi: "3.1.0", info: { title: "x", version: "1" }, paths: { "/a/{id}": { get: { responses: { "200": { description: "ok" } } } } } };
    await expect(validDocument(broken)).rejects.toThrow();
  });
});
