import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createNitroApp } from "../../src/index.js";
import { serveOnLoopback } from "../helpers.js";

/** Debian's chromium package; .ci/run installs it when it is missing. */
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  throw new Error(`[test] ${CHROMIUM} is missing: CI must install Debian's chromium package (.ci/run does with apt-get).`);
}
if (!haveChromium) {
  console.warn(`[test] skipping the API reference browser test: ${CHROMIUM} not found (apt-get install -y chromium).`);
}

describe.skipIf(!haveChromium)("API reference page in headless Chromium", () => {
  it("loads from the app alone and lists the routes", async () => {
    const { chromium } = await import("playwright-core");
    const app = createNitroApp({ openAPI: { meta: { title: "Pet store", version: "1.2.3" } } })
      .get("/api/pets", { validate: { query: z.object({ species: z.enum(["cat", "dog"]).optional() }) }, handler: () => [] })
      .post("/api/pets", {
        validate: { body: z.object({ name: z.string(), species: z.enum(["cat", "dog"]) }) },
        meta: { openAPI: { summary: "Adopt a pet" } },
        handler: (_event, { body }) => ({ id: 1, ...body }),
      })
      .delete("/api/pets/:id", { validate: { params: z.object({ id: z.coerce.number() }) }, handler: () => null });
    const { server, base } = await serveOnLoopback(app);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const requested: string[] = [];
      const failed: string[] = [];
      page.on("request", (req) => requested.push(req.url()));
      page.on("requestfailed", (req) => failed.push(req.url()));
      page.on("pageerror", (error) => failed.push(`page error: ${error.message}`));

      const response = await page.goto(`${base}/_swagger`);
      expect(response?.status()).toBe(200);
      await page.waitForSelector(".opblock", { timeout: 15_000 });

      const screenshot = join(tmpdir(), "nitrokit-test-artifacts", "api-reference.png");
      mkdirSync(join(tmpdir(), "nitrokit-test-artifacts"), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(10_000);

      const text = await page.locator("body").innerText();
      expect(text).toContain("Pet store");
      expect(text).toContain("1.2.3");
      for (const route of ["/api/pets", "/api/pets/{id}", "Adopt a pet"]) expect(text).toContain(route);
      const operations = await page.locator(".opblock").evaluateAll((blocks) =>
        blocks.map((block) => `${block.querySelector(".opblock-summary-method")?.textContent} ${block.querySelector(".opblock-summary-path")?.textContent}`),
      );
      expect(operations.map((op) => op.replace(/\u200b/g, ""))).toEqual(["GET /api/pets", "POST /api/pets", "DELETE /api/pets/{id}"]);

      expect(failed).toEqual([]);
      expect(requested.length).toBeGreaterThanOrEqual(4);
      for (const url of requested) expect(url.startsWith(base) || url.startsWith("data:"), url).toBe(true);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);
});
