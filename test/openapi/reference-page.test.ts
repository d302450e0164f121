import { describe, expect, it, vi } from "vitest";
import { appsClosedAfterEach, request } from "../helpers.js";

const createApp = appsClosedAfterEach();

describe("API reference page (Swagger UI from swagger-ui-dist, served locally)", () => {
  it("serves the page, its initializer and the package's assets beside it", async () => {
    const app = createApp({ openAPI: { meta: { title: "Pets <API>" } } });
    app.get("/api/pets", () => []);
    const page = await request(app, "/_swagger");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain("<title>Pets &#60;API&#62;</title>");
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(["/_swagger/swagger-ui.css", "/_swagger/swagger-ui-bundle.js", "/_swagger/swagger-initializer.js"]);
    for (const asset of assets) {
      const res = await request(app, asset);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("content-type")).toMatch(asset.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(asset.includes("initializer") ? 20 : 10_000);
    }
    expect(await (await request(app, "/_swagger/swagger-initializer.js")).text()).toContain('url: "/_openapi.json"');
  });

  it("follows a configured route and baseURL, and can be turned off", async () => {
    const app = createApp({ baseURL: "/app", openAPI: { route: "/docs/openapi.json", ui: { swagger: { route: "/docs" } } } });
    const html = await (await request(app, "/app/docs")).text();
    expect(html).toContain('src="/app/docs/swagger-ui-bundle.js"');
    expect(await (await request(app, "/app/docs/swagger-initializer.js")).text()).toContain('url: "/app/docs/openapi.json"');
    const off = createApp({ openAPI: { ui: { swagger: false } } });
    expect((await request(off, "/_swagger")).status).toBe(404);
    expect((await request(off, "/_openapi.json")).status).toBe(200);
  });

  it("says how to install swagger-ui-dist when it is missing: a warning at creation, the hint on the page", async () => {
    vi.resetModules();
    vi.doMock("../../src/platform/builtin-module.js", () => ({
      builtinModule: (id: string) =>
        id === "node:module"
          ? {
              createRequire: () => ({
                resolve: (spec: string) => {
                  throw Object.assign(new Error(`Cannot find module '${spec}'`), { code: "MODULE_NOT_FOUND" });
                },
              }),
            }
          : undefined,
    }));
    try {
      const { createNitroApp } = await import("../../src/index.js");
      const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
      const app = createNitroApp({ openAPI: true });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("npm install swagger-ui-dist"));
      const page = await app.fetch(new Request("http://localhost/_swagger", { headers: { accept: "application/json" } }));
      expect(page.status).toBe(500);
      expect(await page.json()).toMatchObject({ message: expect.stringContaining("optional package 'swagger-ui-dist': npm install swagger-ui-dist") });
      expect((await app.fetch(new Request("http://localhost/_openapi.json"))).status).toBe(200);
      await app.close();
    } finally {
      vi.doUnmock("../../src/platform/builtin-module.js");
      vi.resetModules();
      vi.restoreAllMocks();
    }
  });
});
