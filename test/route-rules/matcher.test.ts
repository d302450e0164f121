import { describe, expect, it } from "vitest";
import { createRouteRulesMatcher, normalizeRouteRules, ruleHandlers, type MatchResult, type RouteRuleConfig } from "h3/rules";
import { createRulesMatcher } from "../../src/route-rules/matcher.js";

/** What a match resolves to, without the middleware closures (built fresh by each matcher). */
function resolved(result: MatchResult) {
  return {
    routeRules: { ...result.routeRules },
    matched: Object.fromEntries(Object.entries(result.matchedRules).map(([name, rule]) => [name, { route: rule.route, options: rule.options, params: rule.params }])),
    middleware: result.routeRuleMiddleware.length,
  };
}

/** Every method and path answers as h3's own matcher answers over the same rules. */
function expectSameAsH3(config: Record<string, object>, paths: string[]) {
  const rules = normalizeRouteRules(config as Record<string, RouteRuleConfig>); // custom rule names pass through as data
  // `cache` and `proxy` data-only, as h3 allows: with either missing, createRulesMatcher hands over to h3's matcher.
  const handlers = { ...ruleHandlers, cache: undefined, proxy: undefined };
  const ours = createRulesMatcher(rules, handlers);
  const h3s = createRouteRulesMatcher(rules, { handlers });
  for (const method of ["GET", "HEAD", "POST", "DELETE", "OPTIONS"]) {
    for (const path of paths) expect(resolved(ours(method, path)), `${method} ${path}`).toEqual(resolved(h3s(method, path)));
  }
}

const PATHS = [
  "/", "/api", "/api/", "/api/hello", "/api/users/42", "/api/users/42/posts", "/api/users/me", "/api/public/x",
  "/blog", "/blog/a", "/blog/a/b", "/blog/2024/post", "/pattern-3/x", "/pattern-30", "/API/hello", "/api/%68ello",
  "/api/users/%34%32", "/api/./users/42", "/api/../blog/a", "//api/hello", "/a.json", "/files/a.png", "/files/dir/a.png",
  "/v1/items/7", "/v1/items", "/v2/items/7/edit", "/docs/guide/intro", "/x/y/z",
];

describe("createRulesMatcher: h3's matching without the all-pairs ranking", () => {
  it("answers as h3 with many disjoint patterns and one that matches (the bench's full stack)", () => {
    const config: Record<string, RouteRuleConfig> = {};
    for (let i = 0; i < 50; i++) config[`/pattern-${i}/**`] = { headers: { [`x-${i}`]: String(i) } };
    config["/api/**"] = { headers: { "x-powered-by": "nitrokit" } };
    expectSameAsH3(config, PATHS);
  });

  it("answers as h3 with nested, overlapping, parametric and method-scoped patterns", () => {
    expectSameAsH3(
      {
        "/**": { headers: { "x-all": "1" } },
        "/api/**": { headers: { "x-api": "1", "x-level": "api" }, cors: true },
        "/api/users/**": { headers: { "x-level": "users" } },
        "/api/users/:id": { headers: { "x-level": "user" } },
        "/api/users/me": { headers: { "x-level": "me" }, cors: false },
        "/api/*/42": { headers: { "x-star": "1" } },
        "GET /api/users/**": { headers: { "x-get": "1" } },
        "HEAD /api/users/:id": { headers: { "x-head": "1" } },
        "POST /api/**": { headers: { "x-post": "1" } },
        "/blog/**": { redirect: "/new-blog/**" },
        "/blog/:year/**": { headers: { "x-year": "1" } },
        "/blog/2024/**": { redirect: false, headers: { "x-2024": "1" } },
        "/:section/items/:id": { headers: { "x-section": "1" } },
        "/v1/**": { headers: { "x-v1": "1" } },
        "/files/*.png": { headers: { "x-png": "1" } },
        "/files/**": { headers: { "x-files": "1" } },
        "/docs/:page?": { headers: { "x-docs": "1" } },
        "/docs/**:rest": { headers: { "x-docs-rest": "1" } },
        "/a.json": { headers: { "x-json": "1" } },
        "/x/**": { custom: { a: 1 } },
        "/x/y/**": { custom: { b: 2 } },
        "/x/y/z": { custom: false },
      },
      PATHS,
    );
  });

  it("answers as h3 with many patterns under one prefix (the pairs it does compare)", () => {
    const config: Record<string, object> = { "/api/**": { headers: { "x-depth": "0" } } };
    for (let i = 0; i < 12; i++) {
      config[`/api/v${i % 3}/**`] = { headers: { "x-depth": "1", [`x-v${i % 3}`]: "1" } };
      config[`/api/v${i % 3}/items-${i}/**`] = { headers: { "x-depth": "2", [`x-item-${i}`]: "1" } };
      config[`/api/v${i % 3}/items-${i}/:id`] = { headers: { "x-depth": "3" } };
      config[`/api/:version/items-${i}/**`] = { headers: { [`x-any-${i}`]: "1" } };
    }
    const paths = ["/api", "/api/v0", "/api/v1/items-4", "/api/v1/items-4/9", "/api/v2/items-5/9/x", "/api/v7/items-3/1", "/api/v0/items-0/1"];
    expectSameAsH3(config, [...PATHS, ...paths]);
  });

  it("answers as h3 when a pattern is spelled with escapes (h3's matcher, taken as is)", () => {
    expectSameAsH3({ "/api/%68ello": { headers: { "x-escaped": "1" } }, "/api/**": { headers: { "x-api": "1" } } }, PATHS);
  });

  it("reports an invalid pattern as h3 does", () => {
    const rules = normalizeRouteRules({ "/api/*/x/**": { headers: { a: "1" } } });
    const handlers = { ...ruleHandlers, cache: undefined, proxy: undefined };
    expect(() => createRouteRulesMatcher(rules, { handlers })).toThrow(/invalid route pattern `\/api\/\*\/x\/\*\*`/);
    expect(() => createRulesMatcher(rules, handlers)).toThrow(/invalid route pattern `\/api\/\*\/x\/\*\*`/);
  });
});
