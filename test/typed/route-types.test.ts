import { describe, expectTypeOf, it } from "vitest";
import { createNitroApp, type NitroApp, type RouteMap, type RoutesOf } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";

describe("route map types (checked by tsc --noEmit)", () => {
  it("accumulates each chained registration in the app's type", async () => {
    const app = createNitroApp()
      .get("/api/hello", defineHandler(() => ({ message: "hi" })))
      .post("/api/users", defineHandler(async () => ({ created: true as const })))
      .all("/api/raw", { fetch: () => new Response("raw") });
    type Routes = RouteMap<RoutesOf<typeof app>>;
    expectTypeOf<Routes["/api/hello"]["get"]["output"]>().toEqualTypeOf<{ message: string }>();
    expectTypeOf<Routes["/api/users"]["post"]["output"]>().toEqualTypeOf<{ created: true }>();
    expectTypeOf<Routes["/api/raw"]["all"]["output"]>().toEqualTypeOf<Response>();
    expectTypeOf(app).toExtend<NitroApp>();
    await app.close();
  });
});
