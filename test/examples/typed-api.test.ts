import { afterEach, describe, expect, it } from "vitest";
import { FetchError } from "ofetch";
import { createTodoApp } from "../../examples/typed-api/app.js";
import { demo, todoClient } from "../../examples/typed-api/client.js";
import { serveOnLoopback } from "../helpers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function servedTodos() {
  const app = createTodoApp();
  const { server, base } = await serveOnLoopback(app);
  closers.push(() => server.close());
  return { app, base };
}

describe("examples/typed-api (typed API + client)", () => {
  it("runs the client's demo against the served app", async () => {
    const { base } = await servedTodos();
    const { first, done, open, createdYear } = await demo(base);
    expect(first).toMatchObject({ id: 1, title: "Write the docs", done: false });
    expect(typeof first.createdAt).toBe("string");
    expect(done).toMatchObject({ id: 1, done: true });
    expect(open.map((todo) => todo.title)).toEqual(["Ship it"]);
    expect(createdYear).toBe(new Date().getUTCFullYear());
  });

  it("answers bad input and unknown ids with clear errors", async () => {
    const { base } = await servedTodos();
    const api = todoClient(base);
    const failure = (e: unknown) => e as FetchError;
    const invalid = failure(await api("/api/todos", { method: "POST", body: { title: "   " } }).catch((e: unknown) => e));
    expect(invalid).toBeInstanceOf(FetchError);
    expect(invalid.status).toBe(400);
    expect(invalid.data).toMatchObject({ status: 400, data: { issues: [{ source: "body", path: ["title"] }] } });
    const missing = failure(await api("/api/todos/:id", { pathParams: { id: 99 } }).catch((e: unknown) => e));
    expect(missing.status).toBe(404);
    expect(missing.data).toMatchObject({ message: "No todo 99" });
    expect(await api("/api/todos/:id", { method: "DELETE", pathParams: { id: 1 } }).catch((e: unknown) => (e as FetchError).status)).toBe(404);
  });

  it("documents its routes in the OpenAPI document and serves the reference page", async () => {
    const { app } = await servedTodos();
    const doc = (await (await app.fetch(new Request("http://localhost/_openapi.json"))).json()) as { info: { title: string }; paths: Record<string, object> };
    expect(doc.info.title).toBe("Todos");
    expect(Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [path, Object.keys(item)]))).toEqual({
      "/api/todos": ["get", "post"],
      "/api/todos/{id}": ["get", "patch", "delete"],
    });
    expect((await app.fetch(new Request("http://localhost/_swagger"))).status).toBe(200);
  });
});
