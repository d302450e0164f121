/**
 * The request path keeps the rules of a parameter route's requests with the route when no rule
 * can tell those requests apart (src/route-rules/route-shapes.ts). Whatever it keeps, every
 * request must get exactly the rules h3's own matcher finds for its method and pathname.
 */
import { describe, expect, it } from "vitest";
import { createRouteRulesMatcher, normalizeRouteRules, ruleHandlers, type RouteRuleConfig } from "h3/rules";
import { defineHandler } from "../../src/h3.js";
import { createRouteShapes } from "../../src/route-rules/route-shapes.js";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();

describe("createRouteShapes: which routes' requests all get the same rules", () => {
  const shapes = createRouteShapes(["/api/**", "/admin/**", "/api/users/*/posts", "/v1/:kind", "/files/**:path"]);

  it("shares the rules of a route that every rule matches wholly or not at all", () => {
    expect(shapes("/api/users/:id")).toBeTypeOf("function");
    expect(shapes("/v1/:kind")).toBeTypeOf("function");
    expect(shapes("/v1/:kind/:id")).toBeTypeOf("function");
    expect(shapes("/blog/:slug")).toBeTypeOf("function");
  });

  it("matches each request on its own where a rule's literal meets a parameter, or a segment it cannot read", () => {
    expect(createRouteShapes(["/api/users/42"])("/api/users/:id")).toBeUndefined();
    expect(createRouteShapes(["/api/:kind/me"])("/api/users/:id")).toBeUndefined();
    expect(createRouteShapes(["/api/users/:id(\\d+)"])("/api/users/:id")).toBeUndefined();
    expect(createRouteShapes(["/api/%75sers/**"])("/api/users/:id")).toBeUndefined();
    expect(createRouteShapes(["/**"])("/files/**")).toBeUndefined();
    expect(createRouteShapes(["/**"])("/files/:name?")).toBeUndefined();
    expect(createRouteShapes(["/api/**"])("/api/users/:id")).toBeTypeOf("function");
  });

  it("takes only plain spellings of the route as its requests", () => {
    const isPlain = shapes("/api/users/:id")!;
    for (const path of ["/api/users/42", "/api/users/a-b_c.d~e", "/api/users/..."]) expect(isPlain(path), path).toBe(true);
    for (const path of [
      "/api/users/",
      "/api/users",
      "/api/users/42/",
      "/api/users/42/posts",
      "/api/users/%34%32",
      "/api/users/.",
      "/api/users/..",
      "/api/usersX/42",
      "/api//users/42",
      "/API/users/42",
      "/api/users/4 2",
      "/api/users/é",
    ]) {
      expect(isPlain(path), path).toBe(false);
    }
    // Literal dots are dots, every parameter segment is checked, nothing may follow the last segment.
    const versioned = shapes("/v1.0/:kind/:id")!;
    expect(["/v1.0/a/b", "/v1.0/a.b/c~d"].map(versioned)).toEqual([true, true]);
    expect(["/v1x0/a/b", "/v1.0/../b", "/v1.0/a/.", "/v1.0/a/b\n", "/v1.0/a/b?", "/v1.0/a"].map(versioned)).toEqual([false, false, false, false, false, false]);
    const root = shapes("/")!;
    expect(["/", "", "//"].map(root)).toEqual([true, false, false]);
  });
});

describe("rules kept per route answer as h3's matcher", () => {
  it("every request gets the rules h3 finds for its path, whichever request came first", async () => {
    const config = {
      "/api/**": { headers: { "x-r-api": "1" } },
      "/api/users/42": { headers: { "x-r-user42": "1" } },
      "/api/users/*/posts": { headers: { "x-r-posts": "1" } },
      "/api/:kind/me": { headers: { "x-r-me": "1" } },
      "POST /api/users/**": { headers: { "x-r-post": "1" } },
      "/v1/**": { headers: { "x-r-v1": "1" } },
      "/v1/items/:id": { headers: { "x-r-item": "1" } },
      "/blog/**": { headers: { "x-r-blog": "1" } },
      "/admin/**": { headers: { "x-r-admin": "1" }, cors: true },
    };
    const app = createApp({ routeRules: config });
    const pathOf = defineHandler((event) => ({ path: event.url.pathname, rules: Object.keys(event.context.routeRules ?? {}).sort() }));
    for (const route of ["/api/users/:id", "/api/:kind/:id", "/api/users/:id/posts", "/v1/:kind/:id", "/blog/:slug", "/blog/:a/:b/:c", "/:section/:page"]) {
      app.get(route, pathOf);
      app.post(route, pathOf);
    }
    const h3s = createRouteRulesMatcher(normalizeRouteRules(config as Record<string, RouteRuleConfig>), { handlers: ruleHandlers });
    const paths = [
      "/api/users/7", "/api/users/42", "/api/users/7", "/api/users/%34%32", "/api/users/me", "/api/things/me", "/api/things/1",
      "/api/users/42/posts", "/api/users/7/posts", "/v1/items/3", "/v1/other/3", "/blog/a", "/blog/%61", "/admin/x",
      "/api/%61dmin", "/%61dmin/x", "/admin/%78", "/blog/x~y", "/api/users/a.b",
      // A parameter spelled with escapes or dot segments can read as another path (here `/admin/x`), whose rules apply too.
      "/blog/a/b/c", "/blog/..%2fadmin/x/y", "/blog/a/b/c",
    ];
    for (const method of ["GET", "POST"]) {
      for (const path of [...paths, ...paths.slice().reverse()]) {
        const response = await request(app, path, { method });
        expect(response.status, `${method} ${path}`).toBe(200);
        const { path: seen, rules } = (await response.json()) as { path: string; rules: string[] };
        const expected = h3s(method, seen).routeRules;
        expect(rules, `${method} ${path}`).toEqual(Object.keys(expected).sort());
        const sent = [...response.headers.keys()].filter((name) => name.startsWith("x-r-")).sort();
        expect(sent, `${method} ${path}`).toEqual(Object.keys(expected.headers ?? {}).sort());
      }
    }
  });
});
