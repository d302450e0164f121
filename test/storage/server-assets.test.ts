import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createNitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useStorage } from "../../src/storage/index.js";
import { appsClosedAfterEach } from "../helpers.js";

let rootDir: string;
beforeEach(async () => {
  rootDir = await mkdtemp(join(tmpdir(), "nitrokit-assets-"));
  await mkdir(join(rootDir, "assets/templates/mail"), { recursive: true });
  await writeFile(join(rootDir, "assets/templates/mail/welcome.html"), "<p>Hello {{name}}</p>");
  await writeFile(join(rootDir, "assets/templates/data.json"), '{"a":1}');
  await writeFile(join(rootDir, "assets/logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]));
});
afterEach(async () => {
  await rm(rootDir, { recursive: true, force: true });
});
const makeApp = appsClosedAfterEach(() => ({ rootDir }));

describe("serverAssets", () => {
  it("reads a configured directory through useStorage('assets:<baseName>') in a handler", async () => {
    const app = makeApp({ serverAssets: [{ baseName: "templates", dir: "./assets/templates" }] });
    app.get("/mail", defineHandler(async () => {
      const templates = useStorage("assets:templates");
      const html = await templates.getItem<string>("mail:welcome.html");
      return { html: html!.replace("{{name}}", "Ada"), keys: (await templates.getKeys()).sort(), json: await templates.getItem("data.json") };
    }));
    expect(await app.$fetch("/mail")).toEqual({ html: "<p>Hello Ada</p>", keys: ["data.json", "mail:welcome.html"], json: { a: 1 } });
  });

  it("gives getMeta type, etag and mtime; the etag follows the content", async () => {
    const app = makeApp({ serverAssets: [{ baseName: "templates", dir: "assets/templates" }] });
    await app.ready();
    const templates = app.storage;
    const meta = await templates.getMeta("assets:templates:mail:welcome.html");
    expect(meta).toMatchObject({ type: "text/html; charset=utf-8", size: 21 });
    expect(meta.mtime).toBeInstanceOf(Date);
    expect(meta.etag).toMatch(/^"15-[A-Za-z0-9+/]{27}"$/);
    expect(await templates.getMeta("assets:templates:data.json")).toMatchObject({ type: "application/json" });
    expect(await templates.getMeta("assets:templates:mail:welcome.html")).toMatchObject({ etag: meta.etag });

    const file = join(rootDir, "assets/templates/mail/welcome.html");
    await writeFile(file, "<p>Bye {{name}}</p>");
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    const changed = await templates.getMeta("assets:templates:mail:welcome.html");
    expect(changed.etag).not.toBe(meta.etag);
    expect(changed.size).toBe(19);
  });

  it("mounts <rootDir>/assets as assets:server by default, bytes intact", async () => {
    const app = makeApp();
    await app.ready();
    const raw = (await app.storage.getItemRaw("assets:server:logo.png")) as Uint8Array;
    expect([...raw]).toEqual([0x89, 0x50, 0x4e, 0x47, 0xff]);
    expect(await app.storage.getMeta("assets:server:logo.png")).toMatchObject({ type: "image/png" });
    expect(await app.storage.getKeys("assets:server")).toContain("assets:server:templates:data.json");
  });

  it("mounts no assets:server where <rootDir>/assets does not exist", async () => {
    await rm(join(rootDir, "assets"), { recursive: true });
    const app = makeApp();
    await app.ready();
    expect(app.storage.getMounts("assets:server").map((m) => m.base)).not.toContain("assets:server:");
    expect(await app.storage.getKeys("assets:server")).toEqual([]);
  });

  it("refuses writes, removals and clears with a clear error, leaving the files alone", async () => {
    const app = makeApp({ serverAssets: [{ baseName: "templates", dir: "./assets/templates" }] });
    await app.ready();
    const templates = useStorage("assets:templates");
    const readOnly = /Storage mount 'assets:templates' is read-only \(server assets\)/;
    await expect(templates.setItem("data.json", { a: 2 })).rejects.toThrow(readOnly);
    await expect(templates.setItemRaw("new.bin", new Uint8Array([1]))).rejects.toThrow(readOnly);
    await expect(templates.removeItem("data.json")).rejects.toThrow(readOnly);
    await expect(templates.clear()).rejects.toThrow(readOnly);
    await expect(useStorage("assets:server").setItem("logo.png", "x")).rejects.toThrow(/'assets:server' is read-only/);
    expect(await readFile(join(rootDir, "assets/templates/data.json"), "utf8")).toBe('{"a":1}');
  });

  it("fails ready() naming the entry when a configured directory is missing", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const app = makeApp({ serverAssets: [{ baseName: "missing", dir: "./nope" }] });
    await expect(app.ready()).rejects.toThrow(/serverAssets 'missing': directory '.*\/nope' does not exist/);
    error.mockRestore();
  });

  it("is a validated config key, not a build-only warning", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(() => createNitroApp({ serverAssets: [{ baseName: "a b", dir: "x" }] })).toThrow(/serverAssets\[0\]\.baseName: expected a name/);
    expect(() => createNitroApp({ serverAssets: { templates: "x" } as never })).toThrow(/serverAssets/);
    makeApp({ serverAssets: [{ baseName: "templates", dir: "./assets/templates" }] });
    expect(warn).not.toHaveBeenCalled();
  });
});
