import { mkdtemp, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../../src/index.js";
import { prerender } from "../../../src/adapters/node.js";

const html = (body: string) => new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });

let outDir: string;
let app: NitroApp;
beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), "nitrokit-prerender-"));
  app = createNitroApp({ routeRules: { "/about": { static: true }, "/docs/intro": { prerender: true }, "/blog/**": { prerender: true } } });
  app.get("/", () => html(`<a href="/blog/first">first</a> <a href="/blog/second?x=1#top">second</a> <a href="https://elsewhere.example/">out</a>`));
  app.get("/about", () => html("<h1>About</h1>"));
  app.get("/docs/intro", () => html("<h1>Intro</h1>"));
  app.get("/blog/:slug", (event) => html(`<h1>${event.context.params!.slug}</h1><a href="/">home</a>`));
  app.get("/api/data", () => ({ items: [1, 2] }));
  app.get("/robots.txt", () => "User-agent: *");
  app.get("/broken", () => {
    throw new Error("boom");
  });
});
afterEach(async () => {
  await app.close();
  await rm(outDir, { recursive: true, force: true });
});

describe("prerender()", () => {
  it("renders listed routes and rule-marked ones in-process, with the right files and a line per route", async () => {
    const lines: string[] = [];
    const report = await prerender(app, { outDir, routes: ["/", "/api/data", "/robots.txt"], log: (line) => lines.push(line) });
    expect(report.map((r) => [r.route, r.status, r.file])).toEqual([
      ["/", 200, "index.html"],
      ["/api/data", 200, "api/data.json"],
      ["/robots.txt", 200, "robots.txt"],
      ["/about", 200, "about/index.html"],
      ["/docs/intro", 200, "docs/intro/index.html"],
    ]);
    expect(await readFile(join(outDir, "about/index.html"), "utf8")).toBe("<h1>About</h1>");
    expect(JSON.parse(await readFile(join(outDir, "api/data.json"), "utf8"))).toEqual({ items: [1, 2] });
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/prerender 200 \/ → index\.html/);
  });

  it("crawls same-site links from rendered HTML", async () => {
    const report = await prerender(app, { outDir, routes: ["/"], crawlLinks: true, log: false });
    expect(report.map((r) => r.route).sort()).toEqual(["/", "/about", "/blog/first", "/blog/second", "/docs/intro"]);
    expect(existsSync(join(outDir, "blog/second/index.html"))).toBe(true);
  });

  it("fails on a non-2xx route after rendering the rest, unless told otherwise", async () => {
    const quiet = { outDir, log: false as const };
    await expect(prerender(app, { ...quiet, routes: ["/broken", "/missing"] })).rejects.toThrow(/2 route\(s\) failed: \/broken \(500\), \/missing \(404\)/);
    expect(existsSync(join(outDir, "about/index.html"))).toBe(true);
    const report = await prerender(app, { ...quiet, routes: ["/broken"], failOnError: false });
    expect(report[0]).toMatchObject({ route: "/broken", status: 500 });
  });

  it("never writes outside outDir", async () => {
    app.get("/**", () => "caught");
    const report = await prerender(app, { outDir, routes: ["/%2e%2e/%2e%2e/escape.txt", "/a/..%2F..%2F..%2Fescape.txt"], log: false, failOnError: false });
    for (const entry of report) if (entry.file) expect(join(outDir, entry.file).startsWith(outDir)).toBe(true);
    expect(existsSync(join(outDir, "..", "escape.txt"))).toBe(false);
  });
});
