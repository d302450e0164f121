import { execFile } from "node:child_process";
import http from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { request as undiciRequest } from "undici";
import { describe, expect, it, vi } from "vitest";
import { createNitroApp, defineCompression, defineETag, type NitroApp, type NitroConfig } from "nitrokit";
import { setResponseHeader } from "nitrokit/h3";
import { appsClosedAfterEach, request, servedUntilEachTestEnds } from "../helpers.js";

const run = promisify(execFile);
const makeApp = appsClosedAfterEach();
const served = servedUntilEachTestEnds();

/** About 10 kB of JSON. */
const ITEMS = Array.from({ length: 150 }, (_, id) => ({ id, name: `item number ${id}`, tags: ["alpha", "beta", "gamma"], price: id * 1.5 }));

function appWith(config: NitroConfig = { routeRules: { "/api/**": { compress: true } } }): NitroApp {
  const app = makeApp(config);
  app.get("/api/items", () => ITEMS);
  app.get("/api/small", () => ({ ok: true }));
  app.get("/api/png", (event) => {
    setResponseHeader(event, "content-type", "image/png");
    return new Uint8Array(4096);
  });
  app.get("/api/no-transform", (event) => {
    setResponseHeader(event, "cache-control", "no-transform");
    return ITEMS;
  });
  app.get("/api/encoded", () => new Response(zlib.gzipSync(JSON.stringify(ITEMS)), { headers: { "content-type": "application/json", "content-encoding": "gzip" } }));
  app.get("/plain/items", () => ITEMS);
  return app;
}

const decoders: Record<string, (body: Buffer) => Buffer> = { br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync, deflate: zlib.inflateSync };

describe("compress route rule", () => {
  it("compresses a 10 kB JSON route for real clients: undici (raw bytes decoded here), fetch and curl --compressed", async () => {
    const base = await served(appWith());
    for (const encoding of ["br", "gzip", "deflate"]) {
      const raw = await undiciRequest(`${base}/api/items`, { headers: { "accept-encoding": encoding } });
      expect(raw.headers["content-encoding"]).toBe(encoding);
      expect(raw.headers.vary).toBe("Accept-Encoding");
      const bytes = Buffer.from(await raw.body.arrayBuffer());
      expect(Number(raw.headers["content-length"])).toBe(bytes.byteLength);
      expect(bytes.byteLength).toBeLessThan(JSON.stringify(ITEMS).length / 3);
      expect(JSON.parse(decoders[encoding]!(bytes).toString())).toEqual(ITEMS);
    }
    const fetched = await fetch(`${base}/api/items`, { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(fetched.headers.get("content-encoding")).toBe("br");
    expect(await fetched.json()).toEqual(ITEMS);
    const curl = await run("curl", ["-s", "--compressed", "-D", "-", `${base}/api/items`]);
    const [head, body] = curl.stdout.split("\r\n\r\n");
    expect(head).toMatch(/content-encoding: (br|gzip|deflate|zstd)/i);
    expect(JSON.parse(body!)).toEqual(ITEMS);
  });

  it("chooses by q-value, honours q=0, falls back to identity", async () => {
    const app = appWith();
    const encodingFor = async (accept?: string) => (await request(app, "/api/items", { headers: accept === undefined ? {} : { "accept-encoding": accept } })).headers.get("content-encoding");
    expect(await encodingFor("gzip;q=0.5, br;q=0.9")).toBe("br");
    expect(await encodingFor("br;q=0.4, gzip")).toBe("gzip");
    expect(await encodingFor("br;q=0, *")).not.toBe("br");
    expect(await encodingFor("*")).toBe("br");
    expect(await encodingFor("identity")).toBeNull();
    expect(await encodingFor()).toBeNull();
    const identity = await request(app, "/api/items", { headers: { "accept-encoding": "identity" } });
    expect(identity.headers.get("vary")).toBe("Accept-Encoding");
    expect(await identity.json()).toEqual(ITEMS);
  });

  it("leaves small bodies, compressed types, no-transform and encoded responses alone", async () => {
    const app = appWith();
    const get = (path: string) => request(app, path, { headers: { "accept-encoding": "gzip, br" } });
    const small = await get("/api/small");
    expect(small.headers.get("content-encoding")).toBeNull();
    expect(await small.json()).toEqual({ ok: true });
    expect((await get("/api/png")).headers.get("content-encoding")).toBeNull();
    expect((await get("/api/no-transform")).headers.get("content-encoding")).toBeNull();
    const encoded = await get("/api/encoded");
    expect(encoded.headers.get("content-encoding")).toBe("gzip");
    expect(JSON.parse(zlib.gunzipSync(Buffer.from(await encoded.arrayBuffer())).toString())).toEqual(ITEMS);
    expect((await get("/plain/items")).headers.get("content-encoding")).toBeNull();
    expect(app.getRouteRules("GET", "/plain/items").routeRuleMiddleware).toHaveLength(0);
  });

  it("keeps a server-sent event stream streaming: the first event arrives before the stream ends", async () => {
    const app = makeApp({ routeRules: { "/events": { compress: true } } });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    app.get("/events", () => {
      const encoder = new TextEncoder();
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode("data: first\n\n"));
          await finished;
          controller.enqueue(encoder.encode("data: last\n\n"));
          controller.close();
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    });
    const base = await served(app);
    const received = await new Promise<{ encoding: string | undefined; text: string }>((resolve, reject) => {
      http.get(`${base}/events`, { headers: { "accept-encoding": "gzip" } }, (response) => {
        const gunzip = zlib.createGunzip();
        let text = "";
        response.pipe(gunzip);
        gunzip.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          // The stream is still open (its end waits for `finish`): the event came through on its own.
          if (text.includes("data: first\n\n") && !text.includes("last")) {
            finish();
          }
        });
        gunzip.on("end", () => resolve({ encoding: response.headers["content-encoding"], text }));
        gunzip.on("error", reject);
      }).on("error", reject);
    });
    expect(received).toEqual({ encoding: "gzip", text: "data: first\n\ndata: last\n\n" });
  });

  it("compresses what the cache rule serves, hit or miss", async () => {
    let calls = 0;
    const app = makeApp({ routeRules: { "/cached": { cache: { maxAge: 60 }, compress: true } } });
    app.get("/cached", () => {
      calls++;
      return ITEMS;
    });
    for (let i = 0; i < 2; i++) {
      const response = await request(app, "/cached", { headers: { "accept-encoding": "gzip" } });
      expect(response.headers.get("content-encoding")).toBe("gzip");
      expect(JSON.parse(zlib.gunzipSync(Buffer.from(await response.arrayBuffer())).toString())).toEqual(ITEMS);
    }
    expect(calls).toBe(1);
  });

  it("an app-wide `compress` applies everywhere, and `compress: false` turns it off for a path", async () => {
    const app = makeApp({ compress: { encodings: ["gzip"] }, routeRules: { "/raw/**": { compress: false } } });
    app.get("/**", () => ITEMS);
    expect((await request(app, "/anything", { headers: { "accept-encoding": "br, gzip" } })).headers.get("content-encoding")).toBe("gzip");
    expect((await request(app, "/raw/x", { headers: { "accept-encoding": "br, gzip" } })).headers.get("content-encoding")).toBeNull();
  });

  it("compresses and tags a plain string body, which keeps its implicit text type", async () => {
    const app = makeApp({ routeRules: { "/text": { compress: true, etag: true } } });
    const text = "a line of text that repeats\n".repeat(200);
    app.get("/text", () => text);
    const compressed = await request(app, "/text", { headers: { "accept-encoding": "gzip" } });
    expect(compressed.headers.get("content-encoding")).toBe("gzip");
    expect(compressed.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(zlib.gunzipSync(Buffer.from(await compressed.arrayBuffer())).toString()).toBe(text);
    const plain = await request(app, "/text");
    expect(plain.headers.get("content-type")).toBe("text/plain;charset=UTF-8");
    expect(plain.headers.get("etag")).toBe(compressed.headers.get("etag"));
    expect(await plain.text()).toBe(text);
  });

  it("leaves the app's own answers to unknown paths and methods alone (404, 405)", async () => {
    const app = makeApp({ compress: true });
    app.get("/only-get", () => ITEMS);
    const missing = await request(app, "/nowhere", { headers: { "accept-encoding": "gzip" } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: true, status: 404, message: "Cannot find any route matching [GET] /nowhere" });
    const wrongMethod = await request(app, "/only-get", { method: "POST", headers: { "accept-encoding": "gzip" } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers HEAD without a body and errors as they are", async () => {
    const app = appWith();
    vi.spyOn(console, "error").mockImplementation(() => {});
    app.get("/api/fail", () => {
      throw new Error("boom");
    });
    const head = await request(app, "/api/items", { method: "HEAD", headers: { "accept-encoding": "gzip" } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const failed = await request(app, "/api/fail", { headers: { "accept-encoding": "gzip" } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ status: 500 });
  });

  it("refuses bad options when the app is created", () => {
    expect(() => createNitroApp({ routeRules: { "/**": { compress: { encodings: ["lzma" as "gzip"] } } } })).toThrow(/compress\.encodings: expected a non-empty list/);
    expect(() => createNitroApp({ routeRules: { "/**": { compress: { threshold: -1 } } } })).toThrow(/compress\.threshold/);
    expect(() => createNitroApp({ compress: "yes" as never })).toThrow(/compress/);
    expect(() => defineCompression({ level: 9 } as never)).toThrow(/unknown option 'level'/);
  });
});

describe("etag route rule", () => {
  function etagApp(): NitroApp {
    const app = makeApp({ routeRules: { "/e/**": { etag: true, compress: true } } });
    app.get("/e/items", () => ITEMS);
    app.get("/e/private", (event) => {
      setResponseHeader(event, "cache-control", "no-store");
      return ITEMS;
    });
    app.get("/e/stream", () => new Response(new Blob(["streamed"]).stream(), { headers: { "content-type": "text/plain" } }));
    app.get("/e/own", () => new Response("own", { headers: { etag: '"v1"' } }));
    return app;
  }

  it("tags bodies weakly and answers 304 to a matching If-None-Match, compressed or not", async () => {
    const app = etagApp();
    const plain = await request(app, "/e/items");
    const tag = plain.headers.get("etag")!;
    expect(tag).toMatch(/^W\/"[0-9a-f]+-[\w-]+"$/);
    const compressed = await request(app, "/e/items", { headers: { "accept-encoding": "gzip" } });
    expect(compressed.headers.get("etag")).toBe(tag);
    const revalidated = await request(app, "/e/items", { headers: { "if-none-match": `"other", ${tag}`, "accept-encoding": "gzip" } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(tag);
    expect(await revalidated.text()).toBe("");
    expect((await request(app, "/e/items", { headers: { "if-none-match": '"stale"' } })).status).toBe(200);
  });

  it("never tags no-store responses or streams; keeps a route's own ETag", async () => {
    const app = etagApp();
    expect((await request(app, "/e/private")).headers.get("etag")).toBeNull();
    const stream = await request(app, "/e/stream");
    expect(stream.headers.get("etag")).toBeNull();
    expect(await stream.text()).toBe("streamed");
    expect((await request(app, "/e/own")).headers.get("etag")).toBe('"v1"');
    expect((await request(app, "/e/own", { headers: { "if-none-match": '"v1"' } })).status).toBe(304);
  });

  it("defineETag() works as route middleware", async () => {
    const app = makeApp();
    app.get("/config", () => ({ theme: "dark" }), { middleware: [defineETag()] });
    const first = await request(app, "/config");
    const again = await request(app, "/config", { headers: { "if-none-match": first.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });
});
