import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI_PACKAGE_DIR } from "../cli/cli-package.js";

/**
 * Runs an app from the built package in a fresh Node process and lists the modules it loaded
 * from nitrokit's tracing and logging chunks and from OpenTelemetry. A loader hook appends them
 * to a file, synchronously: module hooks run on their own thread, and what that thread writes
 * to stderr can be lost when the process exits right after the last load.
 */
function modulesLoadedBy(config: string): string[] {
  const entry = pathToFileURL(join(CLI_PACKAGE_DIR, "dist", "index.js")).href;
  const dir = mkdtempSync(join(tmpdir(), "nitrokit-loads-"));
  const log = join(dir, "loaded.txt");
  const hooks = `import { appendFileSync } from "node:fs";
  export async function load(url, context, next) {
    if (/opentelemetry|\\/dist\\/(tracing|request-log)[-.]/.test(url)) appendFileSync(${JSON.stringify(log)}, url + "\\n");
    return next(url, context);
  }`;
  const script = `
    import { register } from "node:module";
    register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hooks)}));
    const { createNitroApp } = await import(${JSON.stringify(entry)});
    const app = createNitroApp(${config});
    app.get("/hello", () => "hi");
    const res = await app.fetch(new Request("http://localhost/hello"));
    if ((await res.text()) !== "hi") throw new Error("unexpected answer");
    await app.close();
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 15_000 });
  try {
    expect(run.status, run.stderr).toBe(0);
    let lines: string[] = [];
    try {
      lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
    } catch {
      // No file: nothing matching was loaded.
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("loading tracing and logging: only when asked, with a clear error when a peer is missing", () => {
  it("says what to install when tracing is on and @opentelemetry/api is not there", () => {
    const entry = pathToFileURL(join(CLI_PACKAGE_DIR, "dist", "index.js")).href;
    // As if the package were not installed: its resolution fails the way Node's does.
    const hooks = `export async function resolve(specifier, context, next) {
      if (specifier === "@opentelemetry/api") {
        const error = new Error("Cannot find package '@opentelemetry/api' imported from " + context.parentURL);
        error.code = "ERR_MODULE_NOT_FOUND";
        throw error;
      }
      return next(specifier, context);
    }`;
    const script = `
      import { register } from "node:module";
      register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hooks)}));
      const { createNitroApp } = await import(${JSON.stringify(entry)});
      const app = createNitroApp({ tracing: true });
      try {
        await app.ready();
        console.log("ready");
      } catch (error) {
        console.log(error.message);
      }
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 15_000 });
    expect(run.stdout.trim()).toBe("`tracing` needs @opentelemetry/api, which is not installed. Install: npm install @opentelemetry/api");
  });

  it("loads neither OpenTelemetry nor nitrokit's tracing or logging code when the config does not ask", () => {
    expect(modulesLoadedBy("{}")).toEqual([]);
  });

  it("loads them when it does (the check above can see them)", () => {
    const loaded = modulesLoadedBy("{ tracing: true, logging: { logger: { info() {}, warn() {}, error() {} } } }");
    expect(loaded.some((url) => url.includes("@opentelemetry/api"))).toBe(true);
    expect(loaded.some((url) => /\/dist\/tracing-/.test(url))).toBe(true);
    expect(loaded.some((url) => /\/dist\/request-log-/.test(url))).toBe(true);
  });
});
