/**
 * Plain routes go into rou3's tree without rou3's pattern parser (src/app/plain-route-insertion.ts).
 * The tree must be the one rou3's `addRoute` builds, for every route set, so rou3 (and the lookups
 * built on its tree) cannot tell the difference.
 */
import { describe, expect, it } from "vitest";
import { addRoute, createRouter, findAllRoutes, findRoute, removeRoute, type RouterContext } from "rou3";
import { removeRoute as removeH3Route, type H3 } from "h3";
import { defineHandler } from "../../src/h3.js";
import { addPlainRoute, adoptRouter, isAdoptedRouter } from "../../src/app/plain-route-insertion.js";
import { appsClosedAfterEach, request, seededRandom } from "../helpers.js";

const createApp = appsClosedAfterEach();


// Plain segments, and segments that are not (rou3 parses those), side by side in one router.
const SEGMENTS = ["api", "users", "a.b", ".well-known", "...", "x_y", "~t", "-", ":id", ":name", ":_x1", ":_", "**", "**:rest", "**:id", "*", ":v(\\d+)", ":opt?", "{a,b}", "%20", "a b", ".", "..", "", "caf\u00e9", "x+", "a:b"];

/** The router as plain data, prototypes aside: what the two ways of building it are compared on. */
function treeOf(router: RouterContext<unknown>): unknown {
  return JSON.parse(JSON.stringify(router, (_key, value: unknown) => (value instanceof RegExp ? `RegExp ${value.source}` : value === undefined ? "<undefined>" : value)));
}

describe("plain routes added without rou3's parser", () => {
  it("build the tree rou3's addRoute builds, on 500 random route sets", () => {
    let plain = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const { next, pick } = seededRandom(seed);
      const byRou3 = createRouter<unknown>();
      const byNitrokit = createRouter<unknown>();
      const count = 1 + Math.floor(next() * 12);
      for (let id = 0; id < count; id++) {
        const segments = Array.from({ length: Math.floor(next() * 4) }, () => pick(SEGMENTS));
        const pattern = "/" + segments.join("/");
        const method = pick(["GET", "get", "POST", ""]);
        let refused: unknown;
        try {
          addRoute(byRou3, method, pattern, { id });
        } catch (error) {
          refused = error;
        }
        if (addPlainRoute(byNitrokit, method, pattern, { id })) {
          plain++;
          expect(refused, pattern).toBeUndefined();
        } else {
          // Not plain: rou3 adds it (or refuses it) for both.
          let refusedToo: unknown;
          try {
            addRoute(byNitrokit, method, pattern, { id });
          } catch (error) {
            refusedToo = error;
          }
          expect((refusedToo as Error | undefined)?.message, pattern).toBe((refused as Error | undefined)?.message);
        }
      }
      expect(treeOf(byNitrokit), `seed ${seed}`).toEqual(treeOf(byRou3));
      for (const path of ["/", "/api", "/api/users/1", "/a.b/x", "/.well-known/z", "/x_y/1/2"]) {
        expect(findRoute(byNitrokit, "GET", path), `${seed} ${path}`).toEqual(findRoute(byRou3, "GET", path));
        expect(findAllRoutes(byNitrokit, "POST", path), `${seed} ${path}`).toEqual(findAllRoutes(byRou3, "POST", path));
      }
    }
    expect(plain).toBeGreaterThan(1000);
  });

  it("leaves the router untouched for a pattern it does not read, and for a param name twice", () => {
    for (const pattern of ["/a/**/b", "/a/*", "/**/x", "/a/**:x/", "/:_/**", "/:rest/**:rest", "/v/:v(\\d+)", "/o/:opt?", "/{a,b}", "/a/", "/a//b", "/./a", "/a/..", "/a b", "a", "/:id/:id", "/x+"]) {
      const router = createRouter<unknown>();
      addRoute(router, "GET", "/keep/:me", 1);
      const before = treeOf(router);
      expect(addPlainRoute(router, "GET", pattern, 2), pattern).toBe(false);
      expect(treeOf(router), pattern).toEqual(before);
    }
  });

  it("keeps rou3's removeRoute working on what it added", () => {
    const router = createRouter<unknown>();
    addPlainRoute(router, "GET", "/api/users/:id", 1);
    addPlainRoute(router, "GET", "/api/hello", 2);
    removeRoute(router, "GET", "/api/users/:id");
    removeRoute(router, "GET", "/api/hello");
    const empty = createRouter<unknown>();
    addRoute(empty, "GET", "/api/users/:id", 1);
    addRoute(empty, "GET", "/api/hello", 2);
    removeRoute(empty, "GET", "/api/users/:id");
    removeRoute(empty, "GET", "/api/hello");
    expect(treeOf(router)).toEqual(treeOf(empty));
    expect(findRoute(router, "GET", "/api/hello")).toBeUndefined();
  });

  it("are added only to a router made by nitrokit's own copy of rou3", () => {
    const own = createRouter<unknown>();
    addRoute(own, "GET", "/early", 1);
    expect(adoptRouter(own)).toBe(true);
    expect(isAdoptedRouter(own)).toBe(true);
    // The static table moved, with what was in it.
    expect(findRoute(own, "GET", "/early")?.data).toBe(1);
    // A router from another copy of rou3 (its null-prototype objects have another prototype): left to that copy.
    const OtherNullProto = function () {} as unknown as new () => Record<string, never>;
    OtherNullProto.prototype = Object.freeze(Object.create(null) as object);
    const foreign = { root: { key: "" }, static: new OtherNullProto() } as unknown as RouterContext<unknown>;
    expect(adoptRouter(foreign)).toBe(false);
    expect(isAdoptedRouter(foreign)).toBe(false);
  });

  it("serves an app's routes, and h3's removeRoute takes them away", async () => {
    const app = createApp();
    expect(isAdoptedRouter((app.h3 as H3)["~rou3"])).toBe(true);
    app.get("/api/users/:id", defineHandler((event) => ({ id: event.context.params?.id })));
    app.post("/api/users/:id/posts", defineHandler(() => "posted"));
    app.get("/files/**:path", defineHandler((event) => event.context.params?.path ?? ""));
    expect(await (await request(app, "/api/users/7")).json()).toEqual({ id: "7" });
    expect(await (await request(app, "/api/users/7/posts", { method: "POST" })).text()).toBe("posted");
    expect((await request(app, "/api/users/7/posts")).status).toBe(405);
    expect(await (await request(app, "/files/a/b.txt")).text()).toBe("a/b.txt");
    removeH3Route(app.h3 as H3, "GET", "/api/users/:id");
    expect((await request(app, "/api/users/7")).status).toBe(404);
  });
});
