/**
 * h3's route list is the app's one record of routes: whichever way a route was added
 * (a registration method, `app.h3` directly, a mounted H3 app), 405 answers, `nitrokit
 * routes` and the OpenAPI document know it.
 */
import { describe, expect, it } from "vitest";
import { H3, defineHandler } from "../../src/h3.js";
import { listRoutes } from "../../src/cli/route-list.js";
import type { OpenAPIDocument } from "../../src/index.js";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();

function appWithRoutesEveryWay() {
  const app = createApp({ openAPI: true });
  app.get("/api/registered", defineHandler(() => "registered"));
  // Straight on h3, as a user reaching for anything nitrokit does not wrap would.
  app.h3.post("/api/direct", defineHandler(() => "direct"));
  const admin = new H3().put("/settings", defineHandler(() => "mounted"));
  app.mount("/admin", admin);
  return app;
}

describe("one route registry", () => {
  it("answers 405 with Allow for a route added on app.h3 and for a mounted H3 app's route", async () => {
    const app = appWithRoutesEveryWay();
    const direct = await request(app, "/api/direct");
    expect(direct.status).toBe(405);
    expect(direct.headers.get("allow")).toBe("POST");
    expect((await direct.json()) as { status: number }).toMatchObject({ status: 405 });
    const mounted = await request(app, "/admin/settings", { method: "DELETE" });
    expect(mounted.status).toBe(405);
    expect(mounted.headers.get("allow")).toBe("PUT");
    expect(await (await request(app, "/api/direct", { method: "POST" })).text()).toBe("direct");
    expect((await request(app, "/api/nothing")).status).toBe(404);
  });

  it("lists every route for `nitrokit routes`, in registration order", async () => {
    const app = appWithRoutesEveryWay();
    const rows = listRoutes(app).filter((row) => row.path.startsWith("/api") || row.path.startsWith("/admin"));
    expect(rows.map(({ method, path }) => `${method} ${path}`)).toEqual(["GET /api/registered", "POST /api/direct", "PUT /admin/settings"]);
  });

  it("describes every route in the OpenAPI document, routes added later included", async () => {
    const app = appWithRoutesEveryWay();
    const first = (await (await request(app, "/_openapi.json")).json()) as OpenAPIDocument;
    expect(Object.keys(first.paths).sort()).toEqual(["/admin/settings", "/api/direct", "/api/registered"]);
    expect(Object.keys(first.paths["/api/direct"]!)).toEqual(["post"]);
    app.h3.delete("/api/late", defineHandler(() => null));
    const second = (await (await request(app, "/_openapi.json")).json()) as OpenAPIDocument;
    expect(Object.keys(second.paths["/api/late"]!)).toEqual(["delete"]);
  });
});
