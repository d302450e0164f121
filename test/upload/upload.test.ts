import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { HTTPError, type NitroApp } from "nitrokit";
import { readMultipart, saveUpload, type MultipartLimits, type SavedUpload } from "nitrokit/upload";
import { appsClosedAfterEach, serveOnLoopback } from "../helpers.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "nitrokit-upload-"));
  dirs.push(dir);
  return dir;
}
const servers: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const makeApp = appsClosedAfterEach();

/** Files under `dir`, recursively (temporary `.part` files included). */
function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** An app whose POST /upload saves every file into the `uploads` fs mount under its field name. */
async function uploadApp(limits?: MultipartLimits, config: Parameters<typeof makeApp>[0] = {}): Promise<{ app: NitroApp; base: string; dir: string }> {
  const dir = tempDir();
  const app = makeApp({ storage: { uploads: { driver: "fs", base: dir } }, ...config });
  app.post("/upload", async (event) => {
    const fields: Record<string, string> = {};
    const saved: SavedUpload[] = [];
    for await (const part of readMultipart(event, { limits })) {
      if (part.kind === "field") fields[part.name] = part.value;
      else saved.push(await saveUpload(part, `uploads:${part.name}:${part.filename}`));
    }
    return { fields, saved };
  });
  app.get("/health", () => "ok");
  const { server, base } = await serveOnLoopback(app);
  servers.push(server);
  return { app, base, dir };
}

function form(entries: Array<[string, string | Blob, string?]>): FormData {
  const data = new FormData();
  for (const [name, value, filename] of entries) {
    if (typeof value === "string") data.append(name, value);
    else data.append(name, value, filename);
  }
  return data;
}

describe("readMultipart() and saveUpload()", () => {
  it("streams fields and files into an fs storage mount", async () => {
    const { base, dir } = await uploadApp();
    const body = form([
      ["title", "holiday"],
      ["photo", new Blob([new Uint8Array(200_000).fill(7)], { type: "image/png" }), "../../etc/beach.png"],
      ["notes", new Blob(["hello"], { type: "text/plain" }), "notes.txt"],
    ]);
    const response = await fetch(`${base}/upload`, { method: "POST", body });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.fields).toEqual({ title: "holiday" });
    expect(result.saved).toEqual([
      { key: "uploads:photo:beach.png", size: 200_000, filename: "beach.png", type: "image/png" },
      { key: "uploads:notes:notes.txt", size: 5, filename: "notes.txt", type: "text/plain" },
    ]);
    expect(readFileSync(join(dir, "photo", "beach.png"))).toEqual(Buffer.alloc(200_000, 7));
    expect(readFileSync(join(dir, "notes", "notes.txt"), "utf8")).toBe("hello");
    expect(filesIn(dir)).toHaveLength(2);
  });

  it("cuts off a file over its limit with 413 and leaves nothing behind", async () => {
    const { base, dir } = await uploadApp({ fileSize: 1000 });
    const response = await fetch(`${base}/upload`, { method: "POST", body: form([["big", new Blob([new Uint8Array(5000)]), "big.bin"]]) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: 413, message: "The file in field 'big' exceeds 1000 bytes." });
    expect(filesIn(dir)).toEqual([]);
    expect(await (await fetch(`${base}/health`)).text()).toBe("ok");
  });

  it("accepts a file of exactly the limit, refuses one byte more", async () => {
    const { base, dir } = await uploadApp({ fileSize: 1000 });
    const response = await fetch(`${base}/upload`, { method: "POST", body: form([["f", new Blob([new Uint8Array(1000)]), "f.bin"]]) });
    expect(response.status).toBe(200);
    expect((await response.json()).saved[0].size).toBe(1000);
    const over = await fetch(`${base}/upload`, { method: "POST", body: form([["g", new Blob([new Uint8Array(1001)]), "g.bin"]]) });
    expect(over.status).toBe(413);
    expect(filesIn(dir)).toEqual([join(dir, "f", "f.bin")]);
  });

  it("answers 413 for too many files or fields, or a field too large", async () => {
    const { base } = await uploadApp({ files: 1, fields: 2, fieldSize: 10 });
    const post = (body: FormData) => fetch(`${base}/upload`, { method: "POST", body }).then(async (r) => [r.status, (await r.json()).message]);
    expect(await post(form([["a", new Blob(["1"]), "a"], ["b", new Blob(["2"]), "b"]]))).toEqual([413, "More than 1 files."]);
    expect(await post(form([["a", "1"], ["b", "2"], ["c", "3"]]))).toEqual([413, "More than 2 fields."]);
    expect(await post(form([["a", "x".repeat(11)]]))).toEqual([413, "The value of field 'a' exceeds 10 bytes."]);
  });

  it("answers 400 to a malformed body, 415 to another content type, and keeps serving", async () => {
    const { base, dir } = await uploadApp();
    const truncated = "--XYZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\npartial data with no closing boundary";
    const cut = await fetch(`${base}/upload`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=XYZ" }, body: truncated });
    expect(cut.status).toBe(400);
    expect((await cut.json()).message).toMatch(/^Malformed multipart body/);
    const noBoundary = await fetch(`${base}/upload`, { method: "POST", headers: { "content-type": "multipart/form-data; charset=utf-8" }, body: "x" });
    expect(noBoundary.status).toBe(400);
    const json = await fetch(`${base}/upload`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(json.status).toBe(415);
    expect(filesIn(dir)).toEqual([]);
    expect(await (await fetch(`${base}/health`)).text()).toBe("ok");
  });

  it("skips a file part the handler does not read, and saves to a non-fs mount whole", async () => {
    const app = makeApp();
    app.post("/pick", async (event) => {
      const kept: string[] = [];
      for await (const part of readMultipart(event)) {
        if (part.kind === "file" && part.name === "keep") kept.push((await saveUpload(part, `cache:kept:${part.filename}`)).key);
      }
      return { kept };
    });
    const { server, base } = await serveOnLoopback(app);
    servers.push(server);
    const body = form([["skip", new Blob([new Uint8Array(300_000)]), "s.bin"], ["keep", new Blob(["kept bytes"]), "k.txt"]]);
    const response = await fetch(`${base}/pick`, { method: "POST", body });
    expect(response.status).toBe(200);
    expect((await response.json()).kept).toEqual(["cache:kept:k.txt"]);
    expect(new TextDecoder().decode((await app.storage.getItemRaw("cache:kept:k.txt")) as Uint8Array)).toBe("kept bytes");
  });

  it("refuses a key outside its mount and a part that is not a file", async () => {
    const dir = tempDir();
    const app = makeApp({ storage: { uploads: { driver: "fs", base: dir } } });
    await app.ready();
    const part = { kind: "file" as const, name: "f", filename: "f", type: "text/plain", stream: new Blob(["x"]).stream() };
    await expect(saveUpload(part, "uploads:..:..:escape", { storage: app.storage })).rejects.toBeInstanceOf(HTTPError);
    await expect(saveUpload({ kind: "field", name: "f", value: "x" } as never, "uploads:x")).rejects.toThrow(/expected a file part/);
    await expect(readMultipart({} as never, { limits: { size: 1 } as never }).next()).rejects.toThrow(/unknown limit 'size'/);
  });
});

describe("a 1 GiB upload", () => {
  it("is saved over loopback while the process's RSS grows by less than 64 MiB", { timeout: 120_000 }, async () => {
    const GiB = 1024 ** 3;
    const { base, dir } = await uploadApp({ fileSize: GiB }, { maxRequestBodySize: 2 * GiB });
    const boundary = "nitrokitBoundary1GiB";
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="big"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 0x5a);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    try {
      const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(`${base}/upload`, {
          method: "POST",
          headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(head.length + GiB + tail.length) },
        });
        request.on("response", (response) => {
          let body = "";
          response.on("data", (data) => (body += data));
          response.on("end", () => resolve({ status: response.statusCode!, body }));
        });
        request.on("error", reject);
        (async () => {
          request.write(head);
          for (let sent = 0; sent < GiB; sent += chunk.length) {
            if (!request.write(chunk)) await new Promise((resume) => request.once("drain", resume));
          }
          request.end(tail);
        })().catch(reject);
      });
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body).saved[0]).toMatchObject({ key: "uploads:big:big.bin", size: GiB });
    } finally {
      clearInterval(sampler);
    }
    expect(statSync(join(dir, "big", "big.bin")).size).toBe(GiB);
    const growthMiB = (rssPeak - rssBefore) / 1024 ** 2;
    console.log(`[upload] 1 GiB saved; RSS grew by ${growthMiB.toFixed(1)} MiB`);
    expect(growthMiB).toBeLessThan(64);
  });
});
