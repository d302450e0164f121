import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createViteProject, pollUntil, type ViteDev, type ViteProject } from "./vite-project.js";

// `vite` started on an app module that does not load: Vite serves, the app's requests get the error until a save fixes it.
let project: ViteProject;
let dev: ViteDev;
let good: string;

beforeAll(async () => {
  project = createViteProject();
  good = project.read("server/app.ts");
  await project.write("server/app.ts", good.replace("export default", "export default oops ="));
  dev = await project.dev();
  await dev.waitFor(/oops is not defined/);
}, 30_000);

afterAll(async () => {
  await dev?.stop();
  project?.remove();
});

describe("nitrokit/vite when the first load fails", () => {
  it("answers the app's requests with the error (503), keeps Vite serving, and swaps the app in once fixed", async () => {
    const api = await fetch(`${dev.base}/api/hello`);
    expect(api.status).toBe(503);
    const body = (await api.json()) as { message: string; stack?: string[] };
    expect(body.message).toContain("The app failed to load");
    expect(JSON.stringify(body.stack)).toContain("oops");
    // Vite's page is still served, and a browser that connects gets the error for its overlay.
    expect(await (await fetch(`${dev.base}/`, { headers: { accept: "text/html" } })).text()).toContain("/@vite/client");
    const token = /const wsToken = "([^"]+)"/.exec(await (await fetch(`${dev.base}/@vite/client`)).text())?.[1];
    const hmr = new WebSocket(`${dev.base.replace("http", "ws")}/?token=${token}`, "vite-hmr", { headers: { origin: dev.base } });
    const messages: Array<{ type: string; err?: { message: string } }> = [];
    hmr.on("message", (data) => messages.push(JSON.parse(String(data)) as { type: string; err?: { message: string } }));
    await pollUntil(async () => messages, (received) => received.some((message) => message.type === "error"));
    expect(messages.find((message) => message.type === "error")!.err!.message).toContain("oops");

    await project.write("server/app.ts", good);
    const fixed = await pollUntil(() => fetch(`${dev.base}/api/hello`), (response) => response.status === 200);
    expect(await fixed.json()).toEqual({ message: "Hello from nitrokit, inside Vite!" });
    await pollUntil(async () => messages, (received) => received.some((message) => message.type === "full-reload"));
    hmr.close();
  });
});
