import { describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";

const SERVER = `
import { createNitroApp } from "nitrokit";
import { H3, defineHandler } from "nitrokit/h3";
import { defineCachedHandler } from "nitrokit/cache";

console.log("module output goes to stderr, not into the JSON");
const app = createNitroApp({
  baseURL: "/app",
  routeRules: {
    "/app/api/**": { headers: { "x-api": "1" } },
    "/app/blog/**": { swr: 600 },
    "/app/old": { redirect: "/app/new" },
  },
});
app.get("/api/hello", defineHandler(function hello() { return { message: "hi" }; }));
app.post("/api/items", defineHandler(() => ({ ok: true })));
app.all("/api/any", () => "any");
app.get("/blog/:slug", () => "post");
app.get("/stats", defineCachedHandler(() => ({ n: 1 }), { maxAge: 60 }));
app.route({ route: "/api/report", method: "get", lazy: true, handler: () => import("./routes/report.ts") });
const admin = new H3().get("/users", () => []);
app.mount("/admin", admin);
app.plugin((nitro) => { nitro.get("/from-plugin", () => "late"); });
export default app;
`;

describe("nitrokit routes", () => {
  const cli = cliFixtures();

  it("--json lists every registration: method, path, handler, rules, caching", async () => {
    const project = cli.project({ "server.ts": SERVER, "routes/report.ts": "export default () => ({ report: true });" });
    const result = await cli.run(["routes", "--json"], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("module output goes to stderr");
    const api = { headers: { "x-api": "1" } };
    expect(JSON.parse(result.stdout)).toEqual([
      { method: "GET", path: "/app/api/hello", handler: "hello", lazy: false, rules: api, cached: false },
      { method: "POST", path: "/app/api/items", handler: null, lazy: false, rules: api, cached: false },
      { method: "ALL", path: "/app/api/any", handler: null, lazy: false, rules: api, cached: false },
      { method: "GET", path: "/app/blog/:slug", handler: null, lazy: false, rules: { cache: { swr: true, maxAge: 600 } }, cached: true },
      { method: "GET", path: "/app/stats", handler: "cached handler", lazy: false, rules: {}, cached: true },
      { method: "GET", path: "/app/api/report", handler: "lazy ./routes/report.ts", lazy: true, rules: api, cached: false },
      { method: "GET", path: "/app/admin/users", handler: "mounted app", lazy: false, rules: {}, cached: false },
      { method: "GET", path: "/app/from-plugin", handler: null, lazy: false, rules: {}, cached: false },
    ]);
  });

  it("prints a table by default", async () => {
    const project = cli.project({ "server.ts": SERVER, "routes/report.ts": "export default () => ({});" });
    const result = await cli.run(["routes", "server.ts"], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^METHOD\s+PATH\s+HANDLER\s+CACHED\s+RULES$/);
    expect(lines).toHaveLength(2 + 8);
    expect(lines.find((line) => line.includes("/app/blog/:slug"))).toMatch(/^GET\s+\/app\/blog\/:slug\s+-\s+yes\s+cache\(swr=true, maxAge=600\)$/);
    expect(lines.find((line) => line.includes("/app/api/report"))).toMatch(/lazy \.\/routes\/report\.ts\s+headers$/);
  });

  it("says so when the app has no routes", async () => {
    const project = cli.project({ "app.mjs": `import { createNitroApp } from "nitrokit"; export default createNitroApp();` });
    const result = await cli.run(["routes"], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe("No routes registered.");
    expect(JSON.parse((await cli.run(["routes", "--json"], { cwd: project.dir })).stdout)).toEqual([]);
  });
});
