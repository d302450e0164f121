import { describe, expect, it } from "vitest";
import { cliFixtures } from "./cli-helpers.js";

const TS_SERVER = `
import { createNitroApp } from "nitrokit";
import { defineHandler } from "nitrokit/h3";
import { greeting } from "./lib/greeting.js";

const app = createNitroApp({});
app.get("/api/hello", defineHandler(() => ({ message: greeting })));
app.get("/api/boom", defineHandler(() => { throw new Error("secret detail"); }));
app.hooks.hook("close", () => console.log("[app] closed"));
export default app;
`;

describe("nitrokit serve", () => {
  const cli = cliFixtures();

  it("serves a TypeScript entry found by its default name, and stops cleanly on SIGTERM", async () => {
    const project = cli.project({
      "server.ts": TS_SERVER,
      "lib/greeting.ts": `export const greeting: string = "typed hello";`,
    });
    const server = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await server.url();
    expect(server.output()).toMatch(/nitrokit serve · server\.ts · ready in \d+ ms/);
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "typed hello" });
    // Production mode: an unhandled error's message stays in the server.
    const boom = await fetch(`${base}/api/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain("secret detail");

    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain("SIGTERM received");
    expect(server.output()).toContain("[app] closed");
  });

  it("reads PORT and HOST from the environment", async () => {
    const project = cli.project({ "server.ts": TS_SERVER, "lib/greeting.ts": `export const greeting = "env";` });
    const server = cli.start(["serve"], { cwd: project.dir, env: { PORT: "0", HOST: "127.0.0.1" } });
    const base = await server.url();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "env" });
    expect(await server.stop("SIGINT")).toEqual({ code: 0, signal: null });
  });

  it("reads NITRO_PORT and NITRO_HOST, Nitro's names, when PORT and HOST are unset (as serve() does)", async () => {
    const project = cli.project({ "server.ts": TS_SERVER, "lib/greeting.ts": `export const greeting = "nitro env";` });
    const server = cli.start(["serve"], { cwd: project.dir, env: { PORT: "", HOST: "", NITRO_PORT: "0", NITRO_HOST: "127.0.0.1" } });
    const base = await server.url();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "nitro env" });
    expect(await server.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("serves a named `app` export (the hello example, plain ESM) given as a path", async () => {
    const project = cli.project({}, { copyExample: "hello" });
    const server = cli.start(["serve", "app.mjs", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await server.url();
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ message: "Hello from Nitro!" });
    expect(await (await fetch(`${base}/api/users/7`)).json()).toEqual({ userId: "7" });
  });

  it("calls a default-exported factory with { dev: false } and awaits what it returns", async () => {
    const project = cli.project({
      "src/app.mjs": `
        import { createNitroApp } from "nitrokit";
        export default async (context) => {
          const app = createNitroApp({ dev: context.dev });
          app.get("/context", () => context);
          return app;
        };`,
    });
    const server = cli.start(["serve", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await server.url();
    expect(server.output()).toContain("src/app.mjs");
    expect(await (await fetch(`${base}/context`)).json()).toEqual({ dev: false });
  });
});
