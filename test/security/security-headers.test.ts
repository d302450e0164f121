import { describe, expect, it } from "vitest";
import { createNitroApp, defineSecurityHeaders, HTTPResponse } from "nitrokit";
import { setResponseHeader } from "nitrokit/h3";
import { appsClosedAfterEach, request } from "../helpers.js";

const makeApp = appsClosedAfterEach();

const HELMET_DEFAULTS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

describe("securityHeaders route rule", () => {
  it("sends Helmet's defaults; CSP and HSTS only when they apply", async () => {
    const app = makeApp({ routeRules: { "/**": { securityHeaders: true } } });
    app.get("/page", () => "hello");
    const response = await request(app, "/page");
    for (const [name, value] of Object.entries(HELMET_DEFAULTS)) expect(response.headers.get(name), name).toBe(value);
    expect(response.headers.has("content-security-policy")).toBe(false);
    expect(response.headers.has("strict-transport-security")).toBe(false);
    const https = await app.fetch(new Request("https://example.com/page"));
    expect(https.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const behindProxy = await request(app, "/page", { headers: { "x-forwarded-proto": "https" } });
    expect(behindProxy.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("overrides each header by name, leaves out those set to false, builds CSP from directives", async () => {
    const app = makeApp({
      routeRules: {
        "/**": {
          securityHeaders: {
            xFrameOptions: "DENY",
            referrerPolicy: false,
            contentSecurityPolicy: { "default-src": "'self'", "img-src": ["'self'", "https://cdn.example"] },
            strictTransportSecurity: { maxAge: 600, includeSubDomains: false, preload: true },
            permissionsPolicy: "camera=()",
          },
        },
      },
    });
    app.get("/page", () => "hello");
    const response = await app.fetch(new Request("https://example.com/page"));
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.has("referrer-policy")).toBe(false);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'self'; img-src 'self' https://cdn.example");
    expect(response.headers.get("strict-transport-security")).toBe("max-age=600; preload");
    expect(response.headers.get("permissions-policy")).toBe("camera=()");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("keeps what the route set itself: handler headers, a returned Response, a headers rule", async () => {
    const app = makeApp({ routeRules: { "/**": { securityHeaders: { contentSecurityPolicy: true } }, "/ruled": { headers: { "x-frame-options": "DENY" } } } });
    app.get("/set", (event) => {
      setResponseHeader(event, "referrer-policy", "origin");
      return "x";
    });
    app.get("/response", () => new Response("x", { headers: { "content-security-policy": "default-src 'none'" } }));
    app.get("/http-response", () => new HTTPResponse("x", { headers: { "x-frame-options": "DENY" } }));
    app.get("/proxied", async () => fetch("data:text/plain,hi"));
    app.get("/ruled", () => "x");
    expect((await request(app, "/set")).headers.get("referrer-policy")).toBe("origin");
    const response = await request(app, "/response");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await request(app, "/http-response")).headers.get("x-frame-options")).toBe("DENY");
    const proxied = await request(app, "/proxied");
    expect(await proxied.text()).toBe("hi");
    expect(proxied.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await request(app, "/ruled")).headers.get("x-frame-options")).toBe("DENY");
  });

  it("costs nothing outside its pattern, and `false` lifts it", async () => {
    const app = makeApp({ routeRules: { "/app/**": { securityHeaders: true }, "/app/embed": { securityHeaders: false } } });
    app.get("/**", () => "x");
    expect((await request(app, "/other")).headers.has("x-frame-options")).toBe(false);
    expect((await request(app, "/app/embed")).headers.has("x-frame-options")).toBe(false);
    expect((await request(app, "/app/page")).headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(app.getRouteRules("GET", "/other").routeRuleMiddleware).toHaveLength(0);
  });

  it("refuses bad options when the app is created", () => {
    expect(() => createNitroApp({ routeRules: { "/**": { securityHeaders: { xFrameOptions: "DENY\r\nx: y" as "DENY" } } } })).toThrow(/securityHeaders\.xFrameOptions: expected a header value/);
    expect(() => createNitroApp({ routeRules: { "/**": { securityHeaders: { frameOptions: "DENY" } as never } } })).toThrow(/unknown option 'frameOptions'/);
    expect(() => defineSecurityHeaders({ contentSecurityPolicy: { "Script Src": "x" } })).toThrow(/not a directive name/);
  });
});

describe("defineSecurityHeaders()", () => {
  it("works as global middleware", async () => {
    const app = makeApp();
    app.use(defineSecurityHeaders({ xFrameOptions: "DENY" }));
    app.get("/", () => ({ ok: true }));
    const response = await request(app, "/");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(await response.json()).toEqual({ ok: true });
  });
});
