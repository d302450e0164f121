import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listeningURL } from "../fixtures/child-server.js";
import { connect } from "../fixtures/ws-client.js";
import { createViteProject, type ViteProject } from "./vite-project.js";

// `vite build` on examples/vite (one build for the file), then the output run by node from an empty folder.
let project: ViteProject;
let build: { code: number | null; output: string };
let runDir: string;
let base: string;
let stop: () => void = () => {};

beforeAll(async () => {
  project = createViteProject();
  build = await project.run(["build"]);
  if (build.code !== 0) throw new Error(`vite build failed:\n${build.output}`);
  runDir = mkdtempSync(join(tmpdir(), "nitrokit-vite-output-"));
  cpSync(project.path(".output"), join(runDir, ".output"), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", HOST: "127.0.0.1", NO_COLOR: "1" };
  delete env.NODE_PATH;
  const child = spawn(process.execPath, [".output/server/index.mjs"], { cwd: runDir, env, stdio: ["ignore", "pipe", "pipe"] });
  stop = () => child.kill("SIGKILL");
  base = (await listeningURL(child, { what: "the built server", timeout: 60_000 })).url;
}, 120_000);

afterAll(() => {
  stop();
  if (runDir) rmSync(runDir, { recursive: true, force: true });
  project?.remove();
});

describe("nitrokit/vite in `vite build`", () => {
  it("builds the client as usual, then the server with nitrokit build", () => {
    expect(build.output).toMatch(/building client environment for production/);
    expect(build.output).toMatch(/building nitrokit environment for production/);
    expect(build.output).toMatch(/\[nitrokit\] built \.output\/server\/index\.mjs \(node\)/);
    expect(existsSync(project.path("dist/index.html"))).toBe(true);
    expect(existsSync(project.path(".output/public/index.html"))).toBe(true);
    expect(existsSync(project.path(".output/server/node_modules"))).toBe(true);
  });

  it("serves the page, its assets, the API and the WebSocket route from an empty folder", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain(`<output id="message">`);
    expect(html).not.toContain("/@vite/client");
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"><\/script>/.exec(html)?.[1];
    expect(script, html).toBeTruthy();
    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("javascript");
    expect(await asset.text()).toContain("/api/hello");
    expect(readdirSync(join(runDir, ".output", "public", "assets")).length).toBeGreaterThan(0);

    const api = await fetch(`${base}/api/hello`);
    expect(await api.json()).toEqual({ message: "Hello from nitrokit, inside Vite!" });
    expect((await fetch(`${base}/api/nowhere`)).status).toBe(404);

    const client = await connect(`${base.replace("http", "ws")}/api/ws`, { headers: { origin: base } });
    client.ws.send("ping");
    expect(await client.next(() => true)).toEqual({ raw: "pong: ping", binary: false });
    client.ws.close();
  });
});
