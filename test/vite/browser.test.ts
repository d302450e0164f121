import { existsSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createViteProject, type ViteDev, type ViteProject } from "./vite-project.js";

/** Debian's chromium package; .ci/run installs it when it is missing. */
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) {
  throw new Error(`[test] ${CHROMIUM} is missing: CI must install Debian's chromium package (.ci/run does with apt-get).`);
}
if (!haveChromium) console.warn(`[test] skipping the Vite page browser test: ${CHROMIUM} not found (apt-get install -y chromium).`);

let project: ViteProject;
let dev: ViteDev;

beforeAll(async () => {
  if (!haveChromium) return;
  project = createViteProject();
  dev = await project.dev();
}, 30_000);

afterAll(async () => {
  await dev?.stop();
  project?.remove();
});

describe.skipIf(!haveChromium)("examples/vite's page in headless Chromium under `vite`", () => {
  it("renders the API's answer and the WebSocket reply, and the next fetch after an edit gets the new answer", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
    try {
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on("requestfailed", (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
      page.on("pageerror", (error) => failed.push(`page error: ${error.message}`));

      const response = await page.goto(`${dev.base}/`);
      expect(response?.status()).toBe(200);
      const message = page.locator("#message");
      await expect.poll(() => message.textContent(), { timeout: 15_000 }).toBe("Hello from nitrokit, inside Vite!");
      await expect.poll(() => page.locator("#socket").textContent(), { timeout: 15_000 }).toBe("pong: ping");

      mkdirSync(join(tmpdir(), "nitrokit-test-artifacts"), { recursive: true });
      const screenshot = join(tmpdir(), "nitrokit-test-artifacts", "vite-dev-page.png");
      await page.screenshot({ path: screenshot });
      expect(statSync(screenshot).size).toBeGreaterThan(5_000);

      // A server-only edit: the page stays (no reload), its next fetch reaches the new app.
      await project.write("server/greeting.ts", project.read("server/greeting.ts").replace("Hello from", "Edited:"));
      await expect
        .poll(
          async () => {
            await page.click("#refresh");
            return message.textContent();
          },
          { timeout: 15_000, interval: 100 },
        )
        .toBe("Edited: nitrokit, inside Vite!");

      // A syntax error: Vite's error overlay on the page, the API still answering with the last good app.
      const good = project.read("server/routes/api/hello.ts");
      await project.write("server/routes/api/hello.ts", good.replace("defineHandler(() =>", "defineHandler(( =>"));
      const overlay = page.locator("vite-error-overlay");
      await overlay.waitFor({ state: "attached", timeout: 15_000 });
      expect(await overlay.evaluate((element) => element.shadowRoot?.textContent ?? "")).toContain("hello.ts");
      expect(await page.evaluate(async () => ((await (await fetch("/api/hello")).json()) as { message: string }).message)).toBe("Edited: nitrokit, inside Vite!");

      // The fix reloads the page (the overlay goes) and the page renders the fixed answer.
      await project.write("server/routes/api/hello.ts", good.replace(`greeting("Vite")`, `greeting("Vite") + " (fixed)"`));
      await overlay.waitFor({ state: "detached", timeout: 15_000 });
      await expect.poll(() => message.textContent(), { timeout: 15_000 }).toBe("Edited: nitrokit, inside Vite! (fixed)");
      expect(failed.filter((entry) => !entry.includes("ERR_ABORTED"))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
