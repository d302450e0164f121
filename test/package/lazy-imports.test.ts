/**
 * Start-up imports only what the app uses (issue 16): a typical app — runtime config, route
 * rules, middleware, a plugin with a request hook, routes, nitrokit/node — loads none of zod,
 * crossws, cron-parser, ocache, db0 or ofetch while it starts, nor once it has served a request
 * (the implicit default database imports db0 and its connector on its first query). Checked in a child
 * process whose module hook records every package resolved (test/fixtures/lazy-imports/), against
 * the sources and against a fresh build (scripts/build.ts): chunks shared by entries must not pull a lazy
 * import back in. A check of laziness, not of time. The build is also checked to be Latin-1
 * text, which halves the memory V8 holds for each module's source. Configured services load at
 * first use too: an app with a Redis mount and a PostgreSQL connection loads neither ioredis, pg
 * nor db0 until a request uses them (then against the real Redis and PostgreSQL).
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWithService, uniqueName } from "../fixtures/services.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = join(root, "test/fixtures/lazy-imports");
const run = promisify(execFile);

/** Packages an app that uses none of their features must not load at start-up. */
const NOT_AT_START_UP = ["zod", "crossws", "cron-parser", "ocache", "db0", "ofetch"];
/** …nor while serving its first request. */
const NOT_AFTER_A_REQUEST = NOT_AT_START_UP;
/**
 * nitrokit's own code for features the typical app does not use (source paths or folders): not
 * loaded while it starts either. Every module loaded costs start-up, a package's or nitrokit's:
 * its file (~0.86M instructions on Node 20, bench/README.md) and its code.
 */
const OWN_CODE_NOT_AT_START_UP = ["src/tracing/", "src/logging/", "src/cli/", "src/vite/", "src/upload/"];

/**
 * Runs the typical app against `base` (a src/ or dist/ URL); what it loaded by phase: package
 * names, and (from src/) nitrokit's own modules as `src/<path>`.
 */
async function packagesLoaded(base: string, nodeArgs: string[]): Promise<{ startUp: string[]; all: string[] }> {
  const dir = await mkdtemp(join(root, "node_modules/.cache/nitrokit-lazy-imports-log-"));
  const log = join(dir, "packages.log");
  try {
    const { stdout } = await run(process.execPath, [...nodeArgs, "--import", join(fixtures, "register.mjs"), join(fixtures, "typical-app.mjs"), base], {
      cwd: root,
      // A build's own files are recorded one by one (`build/<file>`), not as the package they sit in.
      env: { ...process.env, NITROKIT_IMPORT_LOG: log, ...(base.includes("/src/") ? {} : { NITROKIT_IMPORT_BUILD_DIR: base }) },
    });
    // The app worked: the matching rule's header, the param, the plugin's hook.
    expect(JSON.parse(stdout)).toEqual({ status: 200, poweredBy: "nitrokit", body: { userId: "42", seen: true } });
    const lines = (await readFile(log, "utf8")).trim().split("\n");
    const ready = lines.indexOf("# ready");
    expect(ready).toBeGreaterThan(0);
    const packages = (from: string[]) => from.filter((line) => !line.startsWith("# "));
    return { startUp: packages(lines.slice(0, ready)), all: packages(lines) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("start-up imports", () => {
  beforeAll(async () => {
    await mkdir(join(root, "node_modules/.cache"), { recursive: true });
  });

  it("from the sources: only what the app uses", async () => {
    const { startUp, all } = await packagesLoaded(pathToFileURL(join(root, "src/")).href, ["--import", "tsx"]);
    expect(startUp).toContain("h3"); // the hook does record packages
    expect(startUp.filter((name) => NOT_AT_START_UP.includes(name))).toEqual([]);
    expect(all.filter((name) => NOT_AFTER_A_REQUEST.includes(name))).toEqual([]);
  }, 30_000);

  it("from the sources: none of nitrokit's own code for features the app does not use", async () => {
    const { startUp } = await packagesLoaded(pathToFileURL(join(root, "src/")).href, ["--import", "tsx"]);
    const own = startUp.filter((name) => name.startsWith("src/"));
    expect(own).toContain("src/app/nitro-app.ts"); // the hook does record nitrokit's modules
    expect(own.filter((path) => OWN_CODE_NOT_AT_START_UP.some((unused) => path.startsWith(unused)))).toEqual([]);
  }, 30_000);

  describe("from a fresh build (scripts/build.ts, as published)", () => {
    let outDir: string;
    beforeAll(async () => {
      // Under node_modules/, so the build resolves the package's dependencies as dist/ does.
      outDir = await mkdtemp(join(root, "node_modules/.cache/nitrokit-lazy-imports-dist-"));
      await run(process.execPath, ["--import", "tsx", join(root, "scripts/build.ts"), "--silent", "--out-dir", outDir], { cwd: root });
    }, 120_000);
    afterAll(async () => {
      if (outDir) await rm(outDir, { recursive: true, force: true });
    });

    it("only what the app uses", async () => {
      const { startUp, all } = await packagesLoaded(`${pathToFileURL(outDir).href}/`, []);
      expect(startUp).toContain("h3");
      expect(startUp.filter((name) => NOT_AT_START_UP.includes(name))).toEqual([]);
      expect(all.filter((name) => NOT_AFTER_A_REQUEST.includes(name))).toEqual([]);
    }, 30_000);

    it("loads its start-up code from a handful of files: one `core` chunk, not a chunk per set of entries", async () => {
      const { startUp } = await packagesLoaded(`${pathToFileURL(outDir).href}/`, []);
      const files = startUp.filter((name) => name.startsWith("build/"));
      expect(files.filter((file) => file.startsWith("build/core-") && !file.startsWith("build/core-shared-"))).toHaveLength(1);
      // Node 20's loader reads and compiles each file on its own (~0.86M instructions a file): split by
      // entry sets, as tsup's build was, the same start-up loaded 32 files (scripts/build.ts).
      expect(files.length, files.join(" ")).toBeLessThanOrEqual(10);
    }, 30_000);

    it("is Latin-1 text: V8 keeps each module's source in memory, at two bytes a character if one is beyond U+00FF", async () => {
      // Doc comments (which hold such characters: an ellipsis, an arrow) are dropped by the build (scripts/build.ts).
      const files = (await readdir(outDir, { recursive: true })).filter((file) => file.endsWith(".js"));
      const offenders: string[] = [];
      for (const file of files) {
        for (const [i, line] of (await readFile(join(outDir, file), "utf8")).split("\n").entries()) {
          if (/[^\u0000-\u00ff]/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  });
});

/** Runs `fixture` (with `args` after the sources' base URL) under tsx; its output and the packages loaded in each phase (`# phase` lines). */
async function phasesOf(fixture: string, args: string[]): Promise<{ output: unknown; phases: Map<string, string[]> }> {
  const dir = await mkdtemp(join(root, "node_modules/.cache/nitrokit-lazy-imports-log-"));
  const log = join(dir, "packages.log");
  try {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "--import", join(fixtures, "register.mjs"), join(fixtures, fixture), pathToFileURL(join(root, "src/")).href, ...args],
      { cwd: root, env: { ...process.env, NITROKIT_IMPORT_LOG: log } },
    );
    const phases = new Map<string, string[]>();
    const loaded: string[] = [];
    for (const line of (await readFile(log, "utf8")).trim().split("\n")) {
      // Each phase: every package loaded up to its mark.
      if (line.startsWith("# ")) phases.set(line.slice(2), [...loaded]);
      else loaded.push(line);
    }
    return { output: JSON.parse(stdout), phases };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describeWithService("REDIS", "configured services load at first use", (redisUrl) => {
  describeWithService("POSTGRES", "a Redis storage mount and a PostgreSQL connection", (postgresUrl) => {
    beforeAll(async () => {
      await mkdir(join(root, "node_modules/.cache"), { recursive: true });
    });

    it("import neither ioredis, pg nor db0 in ready() or for a request that does not use them; the first use then works", async () => {
      const { output, phases } = await phasesOf("services-app.mjs", [redisUrl, postgresUrl, uniqueName("nitrokit_lazy")]);
      // The dialect is known before the connector loads; then a real round trip to each service.
      expect(output).toEqual({ first: { hello: "world", dialect: "postgresql" }, second: { session: { n: 1 }, answer: 42 } });
      const services = (phase: string) => phases.get(phase)!.filter((name) => ["ioredis", "pg", "db0"].includes(name)).sort();
      expect(phases.get("ready")).toContain("unstorage"); // the hook does record packages
      expect(services("ready")).toEqual([]);
      expect(services("served")).toEqual([]);
      expect(services("used")).toEqual(["db0", "ioredis", "pg"]);
    }, 30_000);
  });
});
