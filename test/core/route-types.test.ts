import { describe, expectTypeOf, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";

describe("route map types (checked by tsc --noEmit)", () => {
  it("accumulates each chained registration in the app's type", async () => {
    const app = createNitroApp()
      .get("/api/hello", defineHandler(() => ({ message: "hi" })))
      .post("/api/users", defineHandler(async () => ({ created: true as const })))
      .all("/api/raw", { fetch: () => new Response("raw") });
    type Routes = NonNullable<(typeof app)["~routes"]>;
    expectTypeOf<Routes["/api/hello"]["get"]>().toEqualTypeOf<{ message: string }>();
    expectTypeOf<Routes["/api/users"]["post"]>().toEqualTypeOf<{ created: true }>();
    expectTypeOf<Routes["/api/raw"]["all"]>().toEqualTypeOf<Response>();
    expectTypeOf(app).toExtend<NitroApp>();
    await app.close();
  });
});
