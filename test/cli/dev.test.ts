import { Agent, get, type IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { cliFixtures, type RunningCli } from "./cli-helpers.js";

/** GET over one kept-alive connection, reporting the client port so a test can tell the connection survived. */
function keepAliveClient() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  afterEach(() => agent.destroy());
  return (url: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string; clientPort: number }>((resolve, reject) => {
      get(url, { agent, headers }, (res) => {
        const clientPort = res.socket.localPort!;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body, clientPort }));
      }).on("error", reject);
    });
}

/** Starts a streamed request and resolves once its first line arrived (so it is in flight on the server). */
function startStreaming(url: string): Promise<{ firstLine: string; rest: Promise<string> }> {
  return new Promise((resolve, reject) => {
    get(url, (res: IncomingMessage) => {
      res.setEncoding("utf8");
      let text = "";
      let resolved = false;
      const rest = new Promise<string>((done) => res.on("end", () => done(text)));
      res.on("data", (chunk: string) => {
        text += chunk;
        if (!resolved && text.includes("\n")) {
          resolved = true;
          const [firstLine] = text.split("\n");
          text = text.slice(firstLine!.length + 1);
          resolve({ firstLine: firstLine!, rest });
        }
      });
    }).on("error", reject);
  });
}

async function reloaded(dev: RunningCli, from: number): Promise<void> {
  await dev.waitFor(/reloaded in \d+ ms/, { from });
}

const TS_SERVER = `
import { createNitroApp } from "nitrokit";
import { hello } from "./routes/hello.js";

const app = createNitroApp();
app.get("/api/hello", hello);
app.get("/api/boom", () => { throw new Error("boom detail"); });
export default app;
`;
const tsHello = (message: string) => `
import { defineHandler } from "nitrokit/h3";
export const hello = defineHandler(() => ({ message: ${JSON.stringify(message)} as string }));
`;

describe("nitrokit dev", () => {
  const cli = cliFixtures();
  const client = keepAliveClient();

  it("picks up an edit to a handler file behind the same port and connection; a request in flight finishes on the old app", async () => {
    const project = cli.project({}, { copyExample: "cli" });
    const dev = cli.start(["dev", "server.mjs", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    expect(dev.output()).toMatch(/nitrokit dev · server\.mjs · ready in \d+ ms/);

    const before = await client(`${base}/api/hello`);
    expect(JSON.parse(before.body)).toEqual({ message: "Hello from the CLI example!" });
    const inFlight = await startStreaming(`${base}/api/progress?ms=1500`);
    expect(JSON.parse(inFlight.firstLine)).toEqual({ step: "started" });

    const mark = dev.output().length;
    project.write("routes/hello.mjs", project.read("routes/hello.mjs").replace("Hello from the CLI example!", "Hello after the edit!"));
    await reloaded(dev, mark);
    expect(dev.output().slice(mark)).toContain("routes/hello.mjs changed");

    const after = await client(`${base}/api/hello`);
    expect(JSON.parse(after.body)).toEqual({ message: "Hello after the edit!" });
    expect(after.clientPort).toBe(before.clientPort);

    // The request the old app took completes there, with the old module's message…
    expect(JSON.parse(await inFlight.rest)).toEqual({ step: "done", waited: 1500, message: "Hello from the CLI example!" });
    // …and only then is the old app closed.
    await dev.waitFor("previous app closed after its 1 request in flight finished", { from: mark });
    const fresh = await startStreaming(`${base}/api/progress?ms=1`);
    expect(JSON.parse(await fresh.rest)).toEqual({ step: "done", waited: 1, message: "Hello after the edit!" });

    expect(await dev.stop("SIGTERM")).toEqual({ code: 0, signal: null });
  });

  it("keeps serving the last good app through a syntax error, shows the error, and reloads once it is fixed", async () => {
    const project = cli.project({ "server.ts": TS_SERVER, "routes/hello.ts": tsHello("v1") });
    const dev = cli.start(["dev", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    expect(JSON.parse((await client(`${base}/api/hello`)).body)).toEqual({ message: "v1" });

    let mark = dev.output().length;
    project.write("routes/hello.ts", `export const hello = {;`);
    await dev.waitFor("Still serving the last version that loaded", { from: mark });
    expect(dev.output().slice(mark)).toContain("Could not load server.ts");
    expect(dev.output().slice(mark)).toMatch(/routes\/hello\.ts:1:\d+/);

    expect(JSON.parse((await client(`${base}/api/hello`)).body)).toEqual({ message: "v1" });
    const page = await client(`${base}/api/hello`, { accept: "text/html" });
    expect(page.status).toBe(500);
    expect(page.body).toContain("The last change failed to load");
    expect(page.body).toMatch(/routes\/hello\.ts:1:\d+/);

    mark = dev.output().length;
    project.write("routes/hello.ts", tsHello("v2"));
    await reloaded(dev, mark);
    expect(JSON.parse((await client(`${base}/api/hello`)).body)).toEqual({ message: "v2" });
    expect((await client(`${base}/api/hello`, { accept: "text/html" })).status).toBe(200);
  });

  it("runs apps in development mode, on localhost unless told otherwise: error responses carry the message and stack", async () => {
    const project = cli.project({ "server.ts": TS_SERVER, "routes/hello.ts": tsHello("v1") });
    const dev = cli.start(["dev", "--port", "0"], { cwd: project.dir });
    const base = await dev.url();
    expect(base).toMatch(/^http:\/\/localhost:\d+$/);
    expect(dev.output()).toContain("Network: use --host 0.0.0.0 to expose");
    const boom = await client(`${base}/api/boom`);
    expect(boom.status).toBe(500);
    const body = JSON.parse(boom.body);
    expect(body.message).toBe("boom detail");
    expect(body.stack.join("\n")).toContain("server.ts");
  });

  it("keeps the last good app when ready() throws after an edit", async () => {
    const project = cli.project({ "server.ts": TS_SERVER, "routes/hello.ts": tsHello("v1") });
    const dev = cli.start(["dev", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    const mark = dev.output().length;
    project.write("server.ts", TS_SERVER.replace("export default app;", `app.plugin(() => { throw new Error("no database"); });\nexport default app;`));
    await dev.waitFor("Still serving the last version that loaded", { from: mark });
    expect(dev.output().slice(mark)).toContain("ready() threw");
    expect(dev.output().slice(mark)).toContain("no database");
    expect(JSON.parse((await client(`${base}/api/hello`)).body)).toEqual({ message: "v1" });
  });

  it("starts even when the first load fails, answering with the error until a save loads the app", async () => {
    const project = cli.project({ "server.ts": TS_SERVER, "routes/hello.ts": `export const hello = ;` });
    const dev = cli.start(["dev", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    expect(dev.output()).toContain("Could not load server.ts");
    const unavailable = await client(`${base}/api/hello`);
    expect(unavailable.status).toBe(503);
    expect(JSON.parse(unavailable.body).message).toContain("The app failed to load");

    const mark = dev.output().length;
    project.write("routes/hello.ts", tsHello("recovered"));
    await reloaded(dev, mark);
    expect(JSON.parse((await client(`${base}/api/hello`)).body)).toEqual({ message: "recovered" });
  });

  it("reloads plain ES modules imported by the entry (the hello example)", async () => {
    const project = cli.project({}, { copyExample: "hello" });
    const dev = cli.start(["dev", "app.mjs", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    expect(JSON.parse((await client(`${base}/api/hello`)).body)).toEqual({ message: "Hello from Nitro!" });
    const mark = dev.output().length;
    project.write("app.mjs", project.read("app.mjs").replace("Hello from Nitro!", "Hello, reloaded"));
    await reloaded(dev, mark);
    expect(JSON.parse((await client(`${base}/api/hello`)).body)).toEqual({ message: "Hello, reloaded" });
  });

  it("reloads an ES module that a TypeScript entry imports", async () => {
    const project = cli.project({
      "server.ts": `
        import { createNitroApp } from "nitrokit";
        import { version } from "./version.mjs";
        const app = createNitroApp();
        app.get("/version", () => ({ version }));
        export default app;`,
      "version.mjs": `export const version = 1;`,
    });
    const dev = cli.start(["dev", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    expect(JSON.parse((await client(`${base}/version`)).body)).toEqual({ version: 1 });
    const mark = dev.output().length;
    project.write("version.mjs", `export const version = 2;`);
    await reloaded(dev, mark);
    expect(JSON.parse((await client(`${base}/version`)).body)).toEqual({ version: 2 });
  });

  it("reloads when a file is added to a directory the app scans for routes", async () => {
    const project = cli.project({
      "server.mjs": `
        import { readdirSync } from "node:fs";
        import { createNitroApp } from "nitrokit";
        const app = createNitroApp();
        const dir = new URL("./routes/", import.meta.url);
        for (const file of readdirSync(dir)) {
          const { default: handler } = await import(new URL(file, dir).href);
          app.get("/" + file.replace(/\\.mjs$/, ""), handler);
        }
        export default app;`,
      "routes/one.mjs": `export default () => "one";`,
    });
    const dev = cli.start(["dev", "--port", "0", "--host", "127.0.0.1"], { cwd: project.dir });
    const base = await dev.url();
    expect((await client(`${base}/one`)).body).toBe("one");
    expect((await client(`${base}/two`)).status).toBe(404);
    const mark = dev.output().length;
    project.write("routes/two.mjs", `export default () => "two";`);
    await reloaded(dev, mark);
    expect(dev.output().slice(mark)).toContain("routes/two.mjs added");
    expect((await client(`${base}/two`)).body).toBe("two");
  });
});
