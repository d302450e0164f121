import { describe, expect, it } from "vitest";
import { loadDotenvFiles } from "../../src/cli/dev/dotenv.js";
import { cliFixtures } from "./cli-helpers.js";

// Runtime config read at import time and per request, to show when the env overlay saw the files.
const APP = `
import { createNitroApp } from "nitrokit";
import { defineHandler } from "nitrokit/h3";
import { useRuntimeConfig } from "nitrokit/runtime-config";

const atImport = process.env.NITRO_API_TOKEN ?? null;
const app = createNitroApp({ runtimeConfig: { apiToken: "dev_token", region: "default", shared: "default" } });
app.get("/api/config", defineHandler((event) => {
  const { apiToken, region, shared } = useRuntimeConfig(event);
  return { apiToken, region, shared, atImport, private: process.env._PRIVATE ?? null };
}));
export default app;
`;

const FILES = {
  "app.ts": APP,
  ".env": `NITRO_API_TOKEN="123"\nNITRO_REGION=from-env\nNITRO_SHARED=from-env\n_PRIVATE=hidden\n# a comment\n`,
  ".env.local": `NITRO_REGION=from-env-local\n`,
};

describe("nitrokit dev loads .env and .env.local (serve never does)", () => {
  const cli = cliFixtures();

  it("dev: before the app module is imported, .env.local over .env, the process environment over both", async () => {
    const project = cli.project(FILES);
    const dev = cli.start(["dev", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir, env: { NITRO_SHARED: "from-process" } });
    const base = await dev.url();
    expect(dev.output()).toContain(".env, .env.local loaded");
    expect(await (await fetch(`${base}/api/config`)).json()).toEqual({
      apiToken: "123",
      region: "from-env-local",
      shared: "from-process",
      atImport: "123",
      private: null,
    });
  });

  it("serve: the files are not read; only the real environment counts", async () => {
    const project = cli.project(FILES);
    const server = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir, env: { NITRO_SHARED: "from-process" } });
    const base = await server.url();
    expect(server.output()).not.toContain("loaded");
    expect(await (await fetch(`${base}/api/config`)).json()).toEqual({
      apiToken: "dev_token",
      region: "default",
      shared: "from-process",
      atImport: null,
      private: null,
    });
  });
});

describe("loadDotenvFiles", () => {
  it("reads nothing and changes nothing when neither file exists", () => {
    const env: NodeJS.ProcessEnv = { KEEP: "1" };
    expect(loadDotenvFiles("/nonexistent-dir-for-nitrokit-test", env)).toEqual([]);
    expect(env).toEqual({ KEEP: "1" });
  });
});
