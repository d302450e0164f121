import { afterEach, describe, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler, readBody, readFormData } from "../../src/h3.js";
import { request } from "../helpers.js";

const apps: NitroApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function makeApp(): { app: NitroApp; runs: () => number } {
  let runs = 0;
  const app = createNitroApp({ maxRequestBodySize: 1024 });
  app.post("/form", defineHandler(async (event) => {
    runs++;
    return readBody(event, { type: "formData" });
  }));
  app.post("/upload", defineHandler(async (event) => {
    runs++;
    const file = (await readFormData(event)).get("file") as File;
    return { name: file.name, size: file.size };
  }));
  app.post("/ignore", defineHandler(() => {
    runs++;
    return { ok: true };
  }));
  apps.push(app);
  return { app, runs: () => runs };
}

describe("body limit (in-process, as on Workers, Lambda, Netlify, Bun and Deno)", () => {
  it("reads multipart and urlencoded form bodies under the limit", async () => {
    const { app } = makeApp();
    const form = new FormData();
    form.append("name", "Ada");
    form.append("file", new File(["hello"], "hello.txt", { type: "text/plain" }));
    expect(await (await request(app, "/upload", { method: "POST", body: form })).json()).toEqual({ name: "hello.txt", size: 5 });
    const urlencoded = await request(app, "/form", { method: "POST", body: new URLSearchParams({ a: "1", b: "2" }) });
    expect(await urlencoded.json()).toEqual({ a: "1", b: "2" });
  });

  it("answers 413 for a form body over the limit", async () => {
    const { app } = makeApp();
    const form = new FormData();
    form.append("file", new File(["x".repeat(4096)], "big.txt"));
    const res = await request(app, "/upload", { method: "POST", body: form });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ status: 413 });
  });

  it("refuses a declared Content-Length over the limit before the handler runs, with Connection: close", async () => {
    const { app, runs } = makeApp();
    const res = await app.fetch(
      new Request("http://localhost/ignore", { method: "POST", headers: { "content-length": "1073741824" }, body: "0123456789" }),
    );
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toMatchObject({ status: 413, message: expect.stringContaining("1024 bytes") });
    expect(runs()).toBe(0);
  });
});

describe("body limit on a request whose runtime defined waitUntil read-only (srvx on Bun and Deno)", () => {
  it("keeps event.waitUntil() working on a request with a body, JSON and form alike", async () => {
    const app = createNitroApp({ maxRequestBodySize: 1024 });
    apps.push(app);
    const background: Promise<unknown>[] = [];
    app.post("/json", defineHandler(async (event) => {
      event.waitUntil(Promise.resolve("json"));
      return readBody(event);
    }));
    app.post("/form", defineHandler(async (event) => {
      event.waitUntil(Promise.resolve("form"));
      return readBody(event, { type: "formData" });
    }));
    // What srvx's Bun and Deno servers do to every request: a value-only (read-only, non-configurable) property.
    const asSrvxDoes = (init: RequestInit & { path: string }) =>
      Object.defineProperties(new Request(`http://localhost${init.path}`, init), { waitUntil: { value: (promise: Promise<unknown>) => void background.push(promise) } });

    const json = await app.fetch(asSrvxDoes({ path: "/json", method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' }));
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({ a: 1 });
    const form = await app.fetch(asSrvxDoes({ path: "/form", method: "POST", body: new URLSearchParams({ b: "2" }) }));
    expect(await form.json()).toEqual({ b: "2" });
    expect(await Promise.all(background)).toEqual(["json", "form"]);
  });
});
