import { describe, expect, it } from "vitest";
import type { BunHttpServer, ServerRequest } from "srvx";
import { fastURLOf, withBunRequestMembers } from "../../../src/adapters/bun/request.ts";

// Bun's own request handling runs in test/runtimes (bun.test.ts); these check the pieces on any runtime.

describe("fastURLOf (event.url of a Bun request)", () => {
  const urls = [
    "http://127.0.0.1:3000/api/users/42",
    "http://localhost:3000/",
    "https://shop.example.com/a/b?x=1&y=%20z",
    "http://example.com/search?",
    "http://example.com/search?q",
    // What FastURL or the host check leave to `URL`: dot segments, encodings, default ports, odd hosts.
    "http://example.com/a/../b/./c",
    "http://example.com/%2e%2e/x",
    "http://example.com/a b?c d",
    "http://example.com/é?q=ü",
    "http://Example.COM/x",
    "http://example.com:80/x",
    "https://example.com:443/x",
    "http://example.com:0080/x",
    "http://127.1/x",
    "http://0x7f.0.0.1/x",
    "http://[::1]:3000/x",
    "http://xn--bcher-kva.example/x",
    "http://example.com./x",
  ];
  it.each(urls)("reads %s as URL does", (url) => {
    const fast = fastURLOf(url);
    const native = new URL(url);
    for (const part of ["href", "protocol", "host", "hostname", "port", "pathname", "search", "origin"] as const) {
      expect([part, fast[part]]).toEqual([part, native[part]]);
    }
    expect(fast).toBeInstanceOf(URL);
  });
});

describe("withBunRequestMembers", () => {
  const server = { requestIP: (request: Request) => ({ address: `ip of ${new URL(request.url).pathname}`, family: "IPv4", port: 1 }) } as unknown as BunHttpServer;
  const waitUntil = (_promise: Promise<unknown>) => {};

  it("gives each request srvx's members (runtime, ip, waitUntil) and a _url, and stays a Request", async () => {
    let seen: ServerRequest | undefined;
    const fetch = withBunRequestMembers((request) => ((seen = request), new Response("ok")), () => waitUntil);
    const request: ServerRequest = new Request("http://127.0.0.1:3000/api/hello?x=1");
    await fetch(request, server);
    expect(seen).toBe(request);
    expect(request).toBeInstanceOf(Request);
    expect(request.runtime).toEqual({ name: "bun", bun: { server } });
    expect(request.ip).toBe("ip of /api/hello");
    expect(request.waitUntil).toBe(waitUntil);
    const url = (request as unknown as { _url: URL })._url;
    expect([url.href, url.pathname, url.search]).toEqual(["http://127.0.0.1:3000/api/hello?x=1", "/api/hello", "?x=1"]);
    expect(await request.text()).toBe("");
  });

  it("shares no mutable state between requests: runtime is frozen, a replaced ip or url stays on its request", async () => {
    const fetch = withBunRequestMembers(() => new Response("ok"), () => waitUntil);
    const [a, b]: ServerRequest[] = [new Request("http://127.0.0.1/a"), new Request("http://127.0.0.1/b")];
    await fetch(a, server);
    await fetch(b, server);
    expect(Object.isFrozen(a!.runtime) && Object.isFrozen(a!.runtime!.bun)).toBe(true);
    Object.defineProperty(a, "ip", { value: "203.0.113.9", configurable: true, enumerable: true });
    Object.defineProperty(a, "url", { value: "https://shop.example.com/a", configurable: true, enumerable: true });
    expect([a.ip, b.ip]).toEqual(["203.0.113.9", "ip of /b"]);
    expect((a as unknown as { _url: URL })._url.href).toBe("https://shop.example.com/a");
    expect((b as unknown as { _url: URL })._url.href).toBe("http://127.0.0.1/b");
    (a as unknown as { _url: unknown })._url = "replaced";
    expect([(a as unknown as { _url: unknown })._url, (b as unknown as { _url: URL })._url.pathname]).toEqual(["replaced", "/b"]);
  });
});
