import { describe, expectTypeOf, it } from "vitest";
import type { NitroApp, NoRoutes, RegistryRoutes, RouteRegistry } from "../../../src/index.js";

// What a filesystem-routing helper can type without code generation: a registry of lazy imports.
const registry = {
  "/api/users/:id": {
    get: () => import("./routes/user.get.js"),
    patch: () => import("./routes/user.patch.js"),
  },
} satisfies RouteRegistry;

// Types only: what the helper would return for this registry.
const app = {} as NitroApp<NoRoutes | RegistryRoutes<typeof registry>>;

describe("typed route registry (for nitrokit/routing)", () => {
  it("types $fetch from the modules' handlers", () => {
    expectTypeOf(app.$fetch<"/api/users/7">).returns.resolves.toEqualTypeOf<{ id: number; joined: string }>();
    const typecheckOnly = async () => {
      const renamed = await app.$fetch("/api/users/:id", { method: "PATCH", pathParams: { id: 1 }, body: { name: "x" } });
      expectTypeOf(renamed).toEqualTypeOf<{ renamed: string }>();
      await app.$fetch("/api/users/1", { query: { full: "yes" } });
      // @ts-expect-error: the module's body type is { name: string }
      await app.$fetch("/api/users/1", { method: "PATCH", body: { name: 1 } });
      // @ts-expect-error: no module for DELETE
      await app.$fetch("/api/users/1", { method: "DELETE" });
    };
    expectTypeOf(typecheckOnly).toBeFunction();
  });
});
