// Type tests for `app.$fetch`: `tsc --noEmit` (npm run typecheck) fails when a valid call stops
// compiling, when a result type changes, or when an invalid call (the @ts-expect-error lines)
// starts to compile.
import { app } from "./fixture-app.js";

declare function expectType<T>(value: T): void;
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
declare function assertExact<A, B>(check: Exact<A, B>): void;

export async function validCalls() {
  const hello = await app.$fetch("/api/hello");
  assertExact<typeof hello, { message: string; at: string; secret?: string }>(true);

  const user = await app.$fetch("/api/users/123");
  assertExact<typeof user, { id: number; expand: "posts" | "comments" | null }>(true);
  expectType<{ id: number }>(await app.$fetch("/api/users/:id", { pathParams: { id: 7 }, query: { expand: "posts" } }));
  expectType<{ id: number }>(await app.$fetch("/api/users/7?expand=posts"));
  const id = "42";
  expectType<{ id: number }>(await app.$fetch(`/api/users/${id}`));

  const posts = await app.$fetch("/api/users/7/posts");
  assertExact<typeof posts, { title: string; author: string }[]>(true);

  const created = await app.$fetch("/api/users", { method: "POST", body: { name: "Ada" } });
  assertExact<typeof created, { id: number; name: string; createdAt: string }>(true);
  expectType<{ id: number }>(await app.$fetch("/api/users", { method: "post", body: { name: "Ada", age: 36 } }));

  const updated = await app.$fetch("/api/users/:id", { method: "PUT", pathParams: { id: 1 }, body: { name: "B" } });
  assertExact<typeof updated, { ok: true; id: number }>(true);

  expectType<{ q: string; page: number }>(await app.$fetch("/api/search", { query: { q: "nitro" } }));
  expectType<{ title: string }>(await app.$fetch("/api/h3-validated", { method: "POST", body: { title: "t" } }));
  expectType<string>(await app.$fetch("/api/any", { method: "DELETE" }));
  expectType<unknown>(await app.$fetch("/api/raw"));
  expectType<{ path: string }>(await app.$fetch("/files/a/b/c.txt"));
  expectType<{ path: string }>(await app.$fetch("/files/**:path", { pathParams: { path: "a/b" } }));
  // ofetch's own options pass through.
  await app.$fetch("/api/hello", { headers: { "x-test": "1" }, retry: 0 });
}

export async function invalidCalls() {
  // @ts-expect-error: no route has this path
  await app.$fetch("/api/nope");
  // @ts-expect-error: a path below a route's pattern is not that route
  await app.$fetch("/api/users/1/comments");
  // @ts-expect-error: GET-only route
  await app.$fetch("/api/hello", { method: "POST" });
  // @ts-expect-error: POST-only route, and GET is the default method
  await app.$fetch("/api/users", { body: { name: "Ada" } });
  // @ts-expect-error: the body schema wants a string name
  await app.$fetch("/api/users", { method: "POST", body: { name: 1 } });
  // @ts-expect-error: the body is required
  await app.$fetch("/api/users", { method: "POST" });
  // @ts-expect-error: not a value of the query's enum
  await app.$fetch("/api/users/1", { query: { expand: "likes" } });
  // @ts-expect-error: the query schema requires q
  await app.$fetch("/api/search", { query: { page: 2 } });
  // @ts-expect-error: the query is required
  await app.$fetch("/api/search");
  // @ts-expect-error: the pattern form needs its path params
  await app.$fetch("/api/users/:id");
  // @ts-expect-error: a param the pattern does not name
  await app.$fetch("/api/users/:id", { pathParams: { userId: 1 } });
  // @ts-expect-error: h3's defineValidatedHandler body type is checked too
  await app.$fetch("/api/h3-validated", { method: "POST", body: { title: 1 } });
}
