import { get } from "node:http";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../fixtures/ws-client.js";
import { createViteProject, pollUntil, type ViteDev, type ViteProject } from "./vite-project.js";

// examples/vite under the real `vite` dev server (one for the whole file): the page and the app on one port.
let project: ViteProject;
let dev: ViteDev;

beforeAll(async () => {
  project = createViteProject();
  // A route that streams: it is in flight while the app is swapped.
  await project.write("server/routes/api/stream.ts", `import { defineHandler } from "nitrokit/h3";
// Streams a first line, and the last one when /api/release says so (from whichever app serves that).
export default defineHandler(() => new ReadableStream({
  start(controller) {
    const encoder = new TextEncoder();
    controller.enqueue(encoder.encode("first\\n"));
    const keepAlive = setInterval(() => {}, 1000);
    (globalThis as { releaseStream?: () => void }).releaseStream = () => {
      clearInterval(keepAlive);
      controller.enqueue(encoder.encode("last, from the app that took the request"));
      controller.close();
    };
  },
}));
`);
  await project.write("server/routes/api/release.ts", `import { defineHandler } from "nitrokit/h3";
export default defineHandler(() => {
  (globalThis as { releaseStream?: () => void }).releaseStream?.();
  return { released: true };
});
`);
  // The options that steer requests: `paths` claims what no route matches, `exclude` keeps a path for Vite.
  await project.write("vite.config.ts", `import { defineConfig } from "vite";
import { nitrokit } from "nitrokit/vite";
export default defineConfig({
  plugins: [nitrokit({ entry: "./server/app.ts", paths: ["/custom/**"], exclude: ["/api/vite-only/**"] })],
});
`);
  await project.write("server/routes/_ws.ts", `import { defineWebSocketHandler } from "nitrokit/h3";
export default defineWebSocketHandler({ message(peer, message) { peer.send("root socket: " + message.text()); } });
`);
  await project.write("server/routes/about.get.ts", `import { defineHandler, html } from "nitrokit/h3";
export default defineHandler(() => html("<h1>About, from the app</h1>"));
`);
  // Read into process.env before the app loads, as `nitrokit dev` does.
  await project.write(".env", "GREETING_FROM_DOTENV=hello from .env\n");
  await project.write("server/routes/api/env.get.ts", `import { defineHandler } from "nitrokit/h3";
export default defineHandler(() => ({ fromDotenv: process.env.GREETING_FROM_DOTENV ?? null, nitrokitDev: process.env.NITROKIT_DEV ?? null }));
`);
  dev = await project.dev();
  await dev.waitFor(/app loaded in \d+ ms/);
}, 30_000);

afterAll(async () => {
  await dev?.stop();
  project?.remove();
});

const hello = async () => ((await (await fetch(`${dev.base}/api/hello`)).json()) as { message: string }).message;

interface HmrMessage {
  type: string;
  err?: { message: string; id?: string; frame?: string; loc?: { file?: string } };
}

/** Vite's HMR client socket, as the page's `/@vite/client` opens it. */
async function hmrClient() {
  // The client connects with the token Vite writes into /@vite/client.
  const token = /const wsToken = "([^"]+)"/.exec(await (await fetch(`${dev.base}/@vite/client`)).text())?.[1];
  expect(token).toBeTruthy();
  const ws = new WebSocket(`${dev.base.replace("http", "ws")}/?token=${token}`, "vite-hmr", { headers: { origin: dev.base } });
  const inbox: HmrMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on("message", (data) => {
    inbox.push(JSON.parse(String(data)) as HmrMessage);
    for (const wake of waiters) wake();
  });
  const next = (type: string, timeout = 10_000) =>
    new Promise<HmrMessage>((resolve, reject) => {
      const check = () => {
        const found = inbox.find((message) => message.type === type);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`no '${type}' message from Vite's HMR socket; got ${JSON.stringify(inbox)}`))), timeout);
      waiters.add(check);
      check();
    });
  await next("connected");
  return { ws, inbox, next };
}

describe("nitrokit/vite in `vite` (dev)", () => {
  it("serves Vite's page and modules and the app's API on one port", async () => {
    const page = await fetch(`${dev.base}/`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<script type="module" src="/@vite/client"></script>`);
    expect(html).toContain(`<output id="message">`);

    const script = await fetch(`${dev.base}/src/main.ts`);
    expect(script.headers.get("content-type")).toContain("javascript");
    expect(await script.text()).toContain(`fetch("/api/hello")`);

    const api = await fetch(`${dev.base}/api/hello`);
    expect(api.status).toBe(200);
    expect(api.headers.get("content-type")).toContain("application/json");
    expect(await api.json()).toEqual({ message: "Hello from nitrokit, inside Vite!" });

    // `.env` was read for the app, and apps created at import time get `dev: true` (NITROKIT_DEV).
    expect(await (await fetch(`${dev.base}/api/env`)).json()).toEqual({ fromDotenv: "hello from .env", nitrokitDev: "1" });

    // `/api/**` belongs to the app, also where it has no route: the app's 404, not Vite's.
    const missing = await fetch(`${dev.base}/api/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404 });
    // A request Vite does not serve and that is no page goes to the app as well.
    // (A page navigation there gets Vite's SPA fallback, index.html.)
    const leftover = await fetch(`${dev.base}/robots.txt`, { headers: { accept: "application/json" } });
    expect(leftover.status).toBe(404);
    expect(leftover.headers.get("content-type")).toContain("application/json");
  });

  it("sends the app's own routes, the `paths` option and nothing under `exclude` to the app", async () => {
    // A page route of the app wins over Vite's index.html fallback.
    const about = await fetch(`${dev.base}/about`, { headers: { accept: "text/html" } });
    expect(await about.text()).toContain("About, from the app");
    // No route matches /custom/…, but `paths` claims it before Vite's fallback would answer a page request:
    // the app's own 404 page, not Vite's index.html.
    const custom = await fetch(`${dev.base}/custom/page`, { headers: { accept: "text/html" } });
    expect(custom.status).toBe(404);
    const customPage = await custom.text();
    expect(customPage).toContain("Cannot find any route matching [GET] /custom/page");
    expect(customPage).not.toContain("/@vite/client");
    // Without `paths`, the same page request gets Vite's fallback.
    expect(await (await fetch(`${dev.base}/elsewhere/page`, { headers: { accept: "text/html" } })).text()).toContain("/@vite/client");
    // `exclude` keeps a path from the app even under /api: Vite answers (its index.html fallback for a page, a 404 otherwise).
    const page = await fetch(`${dev.base}/api/vite-only/x`, { headers: { accept: "text/html" } });
    expect(await page.text()).toContain("/@vite/client");
    const other = await fetch(`${dev.base}/api/vite-only/x`, { headers: { accept: "application/json" } });
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type") ?? "").not.toContain("application/json");
  });

  it("serves the app's WebSocket route through Vite's server, Vite's HMR socket untouched", async () => {
    const client = await connect(`${dev.base.replace("http", "ws")}/api/ws`, { headers: { origin: dev.base } });
    client.ws.send("ping");
    expect(await client.next(() => true)).toEqual({ raw: "pong: ping", binary: false });
    client.ws.close();
    // Outside /api, a WebSocket route of the app is claimed by its route.
    const root = await connect(`${dev.base.replace("http", "ws")}/_ws`, { headers: { origin: dev.base } });
    root.ws.send("hi");
    expect(await root.next(() => true)).toEqual({ raw: "root socket: hi", binary: false });
    root.ws.close();

    const hmr = await hmrClient();
    expect(hmr.inbox[0]).toEqual({ type: "connected" });
    hmr.ws.close();
  });

  it("swaps the app when a route or a module it imports changes: same port, same process, no restart", async () => {
    const pid = dev.child.pid;
    await project.write("server/routes/api/hello.ts", project.read("server/routes/api/hello.ts").replace(`greeting("Vite")`, `greeting("Vite") + " (edited)"`));
    expect(await pollUntil(hello, (message) => message.endsWith("(edited)"))).toBe("Hello from nitrokit, inside Vite! (edited)");

    await project.write("server/greeting.ts", project.read("server/greeting.ts").replace("Hello from", "Hi from"));
    expect(await pollUntil(hello, (message) => message.startsWith("Hi from"))).toBe("Hi from nitrokit, inside Vite! (edited)");

    expect(dev.child.pid).toBe(pid);
    expect(dev.child.exitCode).toBeNull();
    expect(dev.output().match(/ready in/g)).toHaveLength(1);
  });

  it("registers a route file added under the glob", async () => {
    expect((await fetch(`${dev.base}/api/added`)).status).toBe(404);
    await project.write("server/routes/api/added.get.ts", `import { defineHandler } from "nitrokit/h3";\nexport default defineHandler(() => ({ added: true }));\n`);
    const res = await pollUntil(() => fetch(`${dev.base}/api/added`), (response) => response.status === 200);
    expect(await res.json()).toEqual({ added: true });
  });

  it("lets a request in flight finish on the old app while new requests reach the new one", async () => {
    const streamed = new Promise<{ first: string; rest: Promise<string> }>((resolve, reject) => {
      get(`${dev.base}/api/stream`, (res) => {
        res.setEncoding("utf8");
        let text = "";
        let first: string | undefined;
        const rest = new Promise<string>((done) => res.on("end", () => done(text)));
        res.on("data", (chunk: string) => {
          text += chunk;
          if (first === undefined && text.includes("\n")) {
            first = text.slice(0, text.indexOf("\n"));
            resolve({ first, rest });
          }
        });
      }).on("error", reject);
    });
    const { first, rest } = await streamed;
    expect(first).toBe("first");

    const before = dev.output().length;
    await project.write("server/greeting.ts", project.read("server/greeting.ts").replace("Hi from", "Hey from"));
    expect(await pollUntil(hello, (message) => message.startsWith("Hey from"))).toBe("Hey from nitrokit, inside Vite! (edited)");
    await dev.waitFor(/app reloaded in \d+ ms/, before);
    // The old app stays open while it serves the stream…
    expect(dev.output().slice(before)).not.toMatch(/previous app closed/);

    // …which ends normally, and then the old app is closed.
    expect(await (await fetch(`${dev.base}/api/release`)).json()).toEqual({ released: true });
    expect(await rest).toBe("first\nlast, from the app that took the request");
    await dev.waitFor(/previous app closed after its \d+ requests? in flight finished/, before);
  });

  it("keeps the last good app serving through a syntax error, shows it in Vite's overlay, and recovers on the fix", async () => {
    // The app serving now has imported the route (routes load on their first request; a route the
    // serving app never loaded can only be imported from the file as it is now).
    expect(await hello()).toBe("Hey from nitrokit, inside Vite! (edited)");
    const hmr = await hmrClient();
    const good = project.read("server/routes/api/hello.ts");
    const before = dev.output().length;
    await project.write("server/routes/api/hello.ts", good.replace("defineHandler(() =>", "defineHandler(( =>"));
    await dev.waitFor(/Still serving the last version that loaded/, before);

    const overlay = (await hmr.next("error")).err!;
    expect(overlay.message).toContain("[nitrokit]");
    expect(overlay.id ?? overlay.loc?.file).toContain("hello.ts");
    expect(overlay.frame ?? overlay.message).toContain("=>");

    // The API keeps answering with the last version that loaded.
    expect(await hello()).toBe("Hey from nitrokit, inside Vite! (edited)");
    const page = await fetch(`${dev.base}/`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    // A browser connecting now still gets the error for its overlay.
    const late = await hmrClient();
    expect((await late.next("error")).err!.id ?? "").toContain("hello.ts");

    await project.write("server/routes/api/hello.ts", good.replace(`" (edited)"`, `" (fixed)"`));
    expect(await pollUntil(hello, (message) => message.endsWith("(fixed)"))).toBe("Hey from nitrokit, inside Vite! (fixed)");
    // The page reloads, which clears the overlay.
    await hmr.next("full-reload");
    hmr.ws.close();
    late.ws.close();
  });
});
