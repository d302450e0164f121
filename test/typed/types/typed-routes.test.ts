import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type { $Fetch } from "ofetch";
import { createNitroApp, type NitroApp, type RouteMap, type RoutesOf, type Serialized } from "../../../src/index.js";
import { createClient } from "../../../src/client.js";
import { defineHandler, type H3Event } from "../../../src/h3.js";
import { createTypedApp } from "./fixture-app.js";

describe("typed routes (expectTypeOf; checked by tsc --noEmit)", () => {
  it("gives handlers their parsed input and the event", async () => {
    const app = createNitroApp().post("/api/orders/:orderId/items", {
      validate: {
        params: z.object({ orderId: z.coerce.number() }),
        query: z.object({ dryRun: z.stringbool().optional() }),
        body: z.object({ sku: z.string(), quantity: z.number().int().positive().default(1) }),
      },
      handler: (event, input) => {
        expectTypeOf(event).toEqualTypeOf<H3Event>();
        expectTypeOf(input.params).toEqualTypeOf<{ orderId: number }>();
        expectTypeOf(input.query).toEqualTypeOf<{ dryRun?: boolean | undefined }>();
        expectTypeOf(input.body).toEqualTypeOf<{ sku: string; quantity: number }>();
        return { ok: true };
      },
    });
    // Without a params schema, the params come from the pattern, as strings.
    app.get("/api/orders/:orderId/items/:itemId", {
      handler: (_event, { params, body }) => {
        expectTypeOf(params).toEqualTypeOf<{ orderId: string; itemId: string }>();
        expectTypeOf(body).toEqualTypeOf<undefined>();
        return params;
      },
    });
    await app.close();
  });

  it("types what a client receives: awaited, as JSON", () => {
    expectTypeOf<Serialized<{ at: Date; n: number; f: () => void; u: undefined; o?: string; s: Set<string> }>>().toEqualTypeOf<{
      at: string;
      n: number;
      o?: string;
      s: Record<string, never>;
    }>();
    expectTypeOf<Serialized<Array<Date | undefined>>>().toEqualTypeOf<Array<string | null>>();
    expectTypeOf<Serialized<[Date, number]>>().toEqualTypeOf<[string, number]>();
    expectTypeOf<Serialized<{ toJSON(): { v: 1 } }>>().toEqualTypeOf<{ v: 1 }>();
    expectTypeOf<Serialized<Response>>().toEqualTypeOf<unknown>();
  });

  it("resolves $fetch results per path and method", async () => {
    const app = createTypedApp();
    expectTypeOf(app.$fetch<"/api/hello">).returns.resolves.toEqualTypeOf<{ message: string; at: string; secret?: string }>();
    type Routes = RouteMap<RoutesOf<typeof app>>;
    expectTypeOf<Routes["/api/users"]["post"]["body"]>().toEqualTypeOf<{ name: string; age?: number | undefined }>();
    expectTypeOf<keyof Routes["/api/users/:id"]>().toEqualTypeOf<"get" | "put">();
    await app.close();
  });

  it("keeps untyped apps on ofetch's $Fetch and every app a NitroApp", async () => {
    const plain = createNitroApp();
    plain.get("/api/statement-style", defineHandler(() => "no types"));
    expectTypeOf(plain.$fetch).toEqualTypeOf<$Fetch>();
    expectTypeOf(plain).toExtend<NitroApp>();
    const typed = createTypedApp();
    expectTypeOf(typed).toExtend<NitroApp>();
    const annotated: NitroApp = typed;
    expectTypeOf(annotated.$fetch).toEqualTypeOf<$Fetch>();
    await Promise.all([plain.close(), typed.close()]);
  });

  it("gives createClient the app's route types", () => {
    const api = createClient<ReturnType<typeof createTypedApp>>({ baseURL: "http://localhost" });
    expectTypeOf(api<"/api/search">).returns.resolves.toEqualTypeOf<{ q: string; page: number }>();
  });
});
