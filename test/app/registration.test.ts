/**
 * Routes registered through the app reach h3 as `h3.on()` would add them: the same method, the
 * same normalized pattern, handler, middleware and meta, whether registration skipped h3's
 * normalization (a route it would leave unchanged) or went through `h3.on` (any other).
 */
import { describe, expect, it } from "vitest";
import { H3, defineHandler, type Middleware } from "../../src/h3.js";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();

/** What h3 keeps of a route, its handler aside (the app wraps it). */
const shape = (route: H3["~routes"][number]) => ({ method: route.method, route: route.route, middleware: route.middleware, meta: route.meta });

describe("registration adds the route h3.on() adds", () => {
  const middleware: Middleware = (_event, next) => next();
  const paths = [
    "/", "/api/users/:id", "/api/**:slug", "/files/**", "/a/:b?/c", "/v1.2/x", "/x_y-z~!$&',;=@", "/{a}", "/ü", "/a b",
    '/q"', "/h#", "/<>", "/`", "/%41", "/%2F", "/a/./b", "/a/../b", "/a/.hidden", "/tab\there", "/del\u007f", "/emoji/😀", "/[x]",
  ];
  it.each(paths)("%s", (path) => {
    const app = createApp();
    const plain = new H3();
    const handler = defineHandler({ handler: () => "ok", meta: { fromHandler: 1 } });
    app.get(path, handler, { middleware: [middleware], meta: { fromOptions: 2 } });
    plain.get(path, handler, { middleware: [middleware], meta: { fromOptions: 2 } });
    app.all(path, () => "all");
    plain.all(path, () => "all");
    app.route({ route: path, method: "POST", handler: () => "post" });
    plain.post(path, () => "post");
    expect(app.h3["~routes"].map(shape)).toEqual(plain["~routes"].map(shape));
    // Each route's own meta object, as h3's: none shared between routes.
    expect(new Set(app.h3["~routes"].map((route) => route.meta)).size).toBe(3);
  });

  it("puts routes under the baseURL", async () => {
    const app = createApp({ baseURL: "/app/" });
    app.get("/hello", () => "hello");
    app.get("/", () => "root");
    expect(app.h3["~routes"].map((route) => route.route)).toEqual(["/app/hello", "/app"]);
    expect(await (await request(app, "/app/hello")).text()).toBe("hello");
  });

  it("serves what it registered without h3's normalization", async () => {
    const app = createApp();
    app.get("/api/users/:id", (event) => ({ id: event.context.params?.id }));
    expect(await (await request(app, "/api/users/42")).json()).toEqual({ id: "42" });
  });
});
