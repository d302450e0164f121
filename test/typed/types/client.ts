// Type tests for `createClient<typeof app>()`: the same checks as `app.$fetch`, through a
// type-only import of the app (nothing of the server reaches the client's code).
import { createClient } from "../../../src/client.js";
import type { TypedApp } from "./fixture-app.js";
import type { app } from "./fixture-app.js";

declare function expectType<T>(value: T): void;

const api = createClient<TypedApp>({ baseURL: "http://localhost:3000" });
const sameApi = createClient<typeof app>({ baseURL: "http://localhost:3000", headers: { authorization: "Bearer x" } });

export async function validCalls() {
  expectType<{ message: string; at: string }>(await api("/api/hello"));
  expectType<{ id: number; expand: "posts" | "comments" | null }>(await api("/api/users/:id", { pathParams: { id: 1 } }));
  expectType<{ id: number; name: string; createdAt: string }>(await sameApi("/api/users", { method: "POST", body: { name: "Ada" } }));
  expectType<{ ok: true; id: number }>(await api("/api/users/3", { method: "put", body: { name: "B" } }));
}

export async function invalidCalls() {
  // @ts-expect-error: no route has this path
  await api("/api/missing");
  // @ts-expect-error: GET-only route
  await api("/api/hello", { method: "DELETE" });
  // @ts-expect-error: wrong body
  await api("/api/users", { method: "POST", body: { nom: "Ada" } });
  // @ts-expect-error: wrong query
  await api("/api/search", { query: { q: 1 } });
  // @ts-expect-error: an app type is required to type the client
  createClient<{ notAnApp: true }>();
}
