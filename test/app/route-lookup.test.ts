/**
 * Requests find their route through rou3's compiled matcher once the routes stop changing
 * (src/app/route-lookup.ts). It must answer exactly as rou3's `findRoute` does, and see every
 * route added or removed after it was made.
 */
import { describe, expect, it, vi } from "vitest";
import { addRoute, createRouter, findRoute, type RouterContext } from "rou3";
import { H3, removeRoute } from "h3";
import { defineHandler } from "../../src/h3.js";
import { RouteLookup } from "../../src/app/route-lookup.js";
import { compilePlainRoutes } from "../../src/app/plain-route-matcher.js";
import { adoptRouter } from "../../src/app/plain-route-insertion.js";
import { appsClosedAfterEach, request, seededRandom, servedUntilEachTestEnds } from "../helpers.js";

const createApp = appsClosedAfterEach();
const served = servedUntilEachTestEnds();

const PATTERNS: Array<[method: string, pattern: string]> = [
  ["GET", "/"],
  ["GET", "/api/hello"],
  ["", "/api/users/:id"],
  ["POST", "/api/users/:id"],
  ["GET", "/api/users/:id/posts/:post"],
  ["GET", "/api/users/me"],
  ["GET", "/files/**:path"],
  ["GET", "/blog/**"],
  ["GET", "/items/*"],
  ["GET", "/v/:version(\\d+)/doc"],
  ["GET", "/opt/:maybe?"],
  ["GET", "/ext/:name.json"],
  ["DELETE", "/api/things/:id"],
];
const PATHS = [
  "/", "/api/hello", "/api/hello/", "/api/users/42", "/api/users/42/", "/api/users/me", "/api/users/", "/api/users",
  "/api/users/42/posts/7", "/api/users/42/posts", "/files/a/b/c.txt", "/files", "/blog", "/blog/2024/x", "/items/1",
  "/items/1/2", "/v/12/doc", "/v/x/doc", "/opt", "/opt/1", "/ext/data.json", "/ext/data.xml", "/api/things/1", "/nope",
  "/api//users/42", "/API/hello", "/api/users/%34%32", "/api/users/4 2",
];

/** What a lookup reads of an h3 app: its router and its route list. */
function appOf<T>(router: RouterContext<T>, patterns: string[]) {
  return { "~rou3": router, "~routes": patterns.map((route) => ({ route })) };
}

/** A lookup whose compiled matcher is made: enough lookups with no change, then the compiler's import. */
async function compiledLookup<T>(app: ReturnType<typeof appOf<T>>) {
  const lookup = new RouteLookup(app);
  for (let i = 0; i < 300; i++) lookup.find("GET", "/api/hello");
  await vi.waitFor(() => expect(lookup.compiled).toBe(true));
  return lookup;
}

describe("RouteLookup: rou3's compiled matcher, answering as findRoute", () => {
  it("finds the same route with the same params for every method and path", async () => {
    const router = createRouter<{ id: number }>();
    PATTERNS.forEach(([method, pattern], id) => addRoute(router, method, pattern, { id }));
    const lookup = await compiledLookup(appOf(router, PATTERNS.map(([, pattern]) => pattern)));
    // Regular expressions, optional and mixed segments: rou3's compiled matcher.
    expect(lookup.matcher).toBe("rou3");
    for (const method of ["GET", "POST", "DELETE", "HEAD"]) {
      for (const path of PATHS) {
        const expected = findRoute(router, method, path);
        const found = lookup.find(method, path);
        expect(found?.data, `${method} ${path}`).toBe(expected?.data);
        expect(found?.params, `${method} ${path}`).toEqual(expected?.params);
        // rou3's params inherit nothing: `toString` is no param.
        if (found?.params) expect("toString" in found.params, `${method} ${path}`).toBe(false);
      }
    }
  });

  it("drops the compiled matcher whenever the app's route list changes, and makes it again later", async () => {
    const router = createRouter<string>();
    addRoute(router, "GET", "/a/:id", "a");
    const app = appOf(router, ["/a/:id"]);
    const lookup = await compiledLookup(app);
    // As h3's `~addRoute` does: into the router, then onto the list.
    addRoute(router, "GET", "/b/:id", "b");
    app["~routes"].push({ route: "/b/:id" });
    expect(lookup.find("GET", "/b/1")?.data).toBe("b");
    expect(lookup.compiled).toBe(false);
    for (let i = 0; i < 300; i++) lookup.find("GET", "/a/1");
    await vi.waitFor(() => expect(lookup.compiled).toBe(true));
    expect(lookup.find("GET", "/b/2")?.params).toEqual({ id: "2" });
  });

  it("keeps findRoute for an app with more routes than are worth compiling, or a param it cannot hold", async () => {
    const router = createRouter<string>();
    addRoute(router, "GET", "/x/:__proto__", "x");
    const lookup = new RouteLookup(appOf(router, ["/x/:__proto__"]));
    for (let i = 0; i < 300; i++) lookup.find("GET", "/x/1");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lookup.compiled).toBe(false);
    expect({ ...lookup.find("GET", "/x/1")?.params }).toEqual(findRoute(router, "GET", "/x/1")?.params);
    const many = new RouteLookup(appOf(createRouter(), Array.from({ length: 501 }, (_, i) => `/r${i}`)));
    for (let i = 0; i < 300; i++) many.find("GET", "/r1");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(many.compiled).toBe(false);
  });
});

describe("the matcher of plain routes (literal segments, :params and a final wildcard), answering as findRoute", () => {
  // A parameter's name gets its position appended (rou3 refuses a name twice in one route).
  const ROUTE_SEGMENTS = ["a", "b", "api", "users", "x.y", ":id", ":name", ":id"];
  const PATH_SEGMENTS = ["a", "b", "api", "users", "x.y", "42", "me", "%61", "x y", ""];

  function expectSameAnswers(router: RouterContext<{ id: number }>, match: NonNullable<ReturnType<typeof compilePlainRoutes<{ id: number }>>>, paths: string[]) {
    for (const method of ["GET", "POST", "DELETE", "HEAD"]) {
      for (const path of paths) {
        const expected = findRoute(router, method, path);
        const found = match(method, path);
        expect(found?.data, `${method} ${path}`).toBe(expected?.data);
        expect(found?.params, `${method} ${path}`).toEqual(expected?.params);
        if (found?.params) expect("toString" in found.params, `${method} ${path}`).toBe(false);
      }
    }
  }

  it("finds the same route with the same params on 400 random route sets", () => {
    let compiled = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const { next, pick } = seededRandom(seed);
      const router = createRouter<{ id: number }>();
      const routeCount = 1 + Math.floor(next() * 10);
      for (let id = 0; id < routeCount; id++) {
        const segments = Array.from({ length: Math.floor(next() * 4) }, (_, position) => {
          const segment = pick(ROUTE_SEGMENTS);
          return segment.startsWith(":") ? `${segment}${position}` : segment;
        });
        // A wildcard at the end, now and then: `**`, a named `**:rest`, or a final `*`.
        if (next() < 0.3) segments.push(pick(["**", "**:rest", "*"]));
        addRoute(router, pick(["GET", "GET", "POST", ""]), "/" + segments.join("/"), { id });
      }
      const match = compilePlainRoutes(router);
      if (match === undefined) continue; // a set it does not read (two routes on one node and method): rou3's compiler serves it
      compiled++;
      const paths = ["/", "//", "/api/", "/api/users/42/"];
      for (let i = 0; i < 60; i++) {
        const segments = Array.from({ length: Math.floor(next() * 5) }, () => pick(PATH_SEGMENTS));
        paths.push("/" + segments.join("/") + (next() < 0.2 ? "/" : ""));
      }
      expectSameAnswers(router, match, paths);
    }
    // Most random sets are plain: the comparison above ran on them.
    expect(compiled).toBeGreaterThan(250);
  });

  it("answers the common app's routes, and leaves to rou3 what it does not read", () => {
    const router = createRouter<{ id: number }>();
    const plain: Array<[string, string]> = [
      ["GET", "/"], ["GET", "/api/hello"], ["", "/api/users/:id"], ["GET", "/api/users/me"], ["GET", "/api/users/:id/posts/:post"],
      ["DELETE", "/api/things/:id"], ["GET", "/files/**:path"], ["GET", "/blog/**"], ["GET", "/items/*"], ["GET", "/**"],
    ];
    plain.forEach(([method, pattern], id) => addRoute(router, method, pattern, { id }));
    // More literal children on one node than are compared one by one.
    for (let i = 0; i < 20; i++) addRoute(router, "GET", `/many/s${i}/:id`, { id: 100 + i });
    const match = compilePlainRoutes(router)!;
    expect(match).toBeTypeOf("function");
    expectSameAnswers(router, match, [...PATHS, "/many/s7/1", "/many/s19/2/", "/many/s20/1", "/many/s1", "/many/x/1"]);
    for (const pattern of ["/v/:version(\\d+)/doc", "/opt/:maybe?", "/ext/:name.json", "/**/end", "/a/**:rest/b"]) {
      const other = createRouter<{ id: number }>();
      addRoute(other, "GET", "/api/users/:id", { id: 0 });
      addRoute(other, "GET", pattern, { id: 1 });
      expect(compilePlainRoutes(other), pattern).toBeUndefined();
    }
    const twice = createRouter<{ id: number }>();
    addRoute(twice, "GET", "/x", { id: 0 });
    addRoute(twice, "GET", "/x", { id: 1 });
    expect(compilePlainRoutes(twice)).toBeUndefined();
    // A method's own route and an any-method route on one node: rou3 weighs them (the own one wins a tie,
    // a final param outweighs a final `*`, which outweighs an optional wildcard).
    const both = createRouter<{ id: number }>();
    const pairs: Array<[string, string]> = [["GET", "/x"], ["", "/x"], ["", "/w/*"], ["GET", "/w/**"], ["POST", "/v/**:rest"], ["", "/v/**"], ["", "/u/:id"], ["PUT", "/u/:key"]];
    pairs.forEach(([method, pattern], id) => addRoute(both, method, pattern, { id }));
    const weighed = compilePlainRoutes(both)!;
    expect(weighed).toBeTypeOf("function");
    expectSameAnswers(both, weighed, ["/x", "/x/", "/w", "/w/", "/w/a", "/w/a/b", "/v", "/v/", "/v/a/b", "/u/1", "/u/1/", "/u"]);
  });

  it("serves lookups through RouteLookup once the routes stop changing, params without a prototype", async () => {
    const router = createRouter<string>();
    // As an app's router is (app-h3.ts): made by nitrokit's copy of rou3, so the plain matcher may read it.
    adoptRouter(router as RouterContext<unknown>);
    addRoute(router, "GET", "/api/hello", "hello");
    addRoute(router, "GET", "/api/users/:id", "user");
    const lookup = await compiledLookup(appOf(router, ["/api/hello", "/api/users/:id"]));
    expect(lookup.matcher).toBe("plain");
    // A router nitrokit did not take on (another copy of rou3 may have made it): rou3's own compiled matcher.
    const foreign = createRouter<string>();
    addRoute(foreign, "GET", "/api/users/:id", "user");
    const foreignLookup = await compiledLookup(appOf(foreign, ["/api/users/:id"]));
    expect(foreignLookup.matcher).toBe("rou3");
    expect(foreignLookup.find("GET", "/api/users/7")?.params).toEqual({ id: "7" });
    const found = lookup.find("GET", "/api/users/42");
    expect(found?.data).toBe("user");
    expect(found?.params).toEqual({ id: "42" });
    expect("toString" in found!.params!).toBe(false);
    expect(lookup.find("GET", "/api/users//42")).toEqual(findRoute(router, "GET", "/api/users//42"));
  });
});

describe("an app's routes after the compiled matcher is made", () => {
  it("serves each request its own params, then routes added and removed at run time, over HTTP", async () => {
    const app = createApp();
    app.get("/api/users/:id", defineHandler((event) => ({ id: event.context.params?.id, inherits: "toString" in (event.context.params ?? {}) })));
    app.get("/api/hello", defineHandler(() => "hello"));
    const base = await served(app);
    for (let id = 0; id < 400; id++) {
      const answer = await fetch(`${base}/api/users/${id}`);
      expect(await answer.json()).toEqual({ id: String(id), inherits: false });
    }
    app.get("/api/late/:name", defineHandler((event) => ({ late: event.context.params?.name })));
    expect(await (await fetch(`${base}/api/late/x`)).json()).toEqual({ late: "x" });
    for (let i = 0; i < 300; i++) await request(app, `/api/late/${i}`);
    removeRoute(app.h3 as H3, "GET", "/api/late/:name");
    expect((await fetch(`${base}/api/late/y`)).status).toBe(404);
    expect(await (await fetch(`${base}/api/users/7`)).json()).toEqual({ id: "7", inherits: false });
    const head = await fetch(`${base}/api/hello`, { method: "HEAD" });
    expect(head.status).toBe(200);
  });
});
