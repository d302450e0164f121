import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useRuntimeConfig } from "../../src/runtime-config.js";
import { request, withEnv } from "../helpers.js";

const apps: NitroApp[] = [];
const make = (config: Parameters<typeof createNitroApp>[0]) => {
  const app = createNitroApp(config);
  apps.push(app);
  return app;
};
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const seedConfig = {
  apiSecret: "dev-secret-key",
  databaseUrl: "sqlite:./dev.db",
  oauth: { clientId: "dev-client-id", clientSecret: "dev-secret" },
  public: { apiBase: "http://localhost:3000", appVersion: "1.0.0" },
};

describe("runtime config env overlay", () => {
  it("maps key paths to NITRO_ + SCREAMING_SNAKE_CASE, declared keys only", async () => {
    const env = {
      NITRO_API_SECRET: "production-secret-key",
      NITRO_DATABASE_URL: "postgresql://user:pass@localhost/prod",
      NITRO_OAUTH_CLIENT_ID: "prod-client-id",
      NITRO_PUBLIC_API_BASE: "https://api.example.com",
      NITRO_UNDECLARED: "x",
    };
    await withEnv(env, async () => {
      const app = make({ runtimeConfig: seedConfig });
      app.get("/config", defineHandler((event) => useRuntimeConfig(event)));
      const config = await (await request(app, "/config")).json();
      expect(config).toEqual({
        apiSecret: "production-secret-key",
        databaseUrl: "postgresql://user:pass@localhost/prod",
        oauth: { clientId: "prod-client-id", clientSecret: "dev-secret" },
        public: { apiBase: "https://api.example.com", appVersion: "1.0.0" },
        // Nitro's own keys, as Nitro 3 resolves them.
        app: { baseURL: "/" },
        nitro: {},
      });
    });
  });

  it("keeps the declared type: strings stay strings, numbers and booleans parse", async () => {
    await withEnv({ NITRO_VERSION_TAG: "123", NITRO_FLAG_NAME: "true", NITRO_PORT: "8080", NITRO_DEBUG: "false", NITRO_LIST: '["a","b"]' }, () => {
      const app = make({ runtimeConfig: { versionTag: "1", flagName: "off", port: 3000, debug: true, list: [] as string[] } });
      expect(app.runtimeConfig).toMatchObject({ versionTag: "123", flagName: "true", port: 8080, debug: false, list: ["a", "b"] });
    });
  });

  it("fails start-up with the variable named when a value cannot take the declared type", async () => {
    await withEnv({ NITRO_PORT: "eighty", NITRO_DEBUG: "maybe" }, () => {
      expect(() => make({ runtimeConfig: { port: 3000, debug: false } })).toThrow(/NITRO_PORT="eighty": expected a number \(runtimeConfig\.port\)/);
      expect(() => make({ runtimeConfig: { debug: false } })).toThrow(/NITRO_DEBUG="maybe": expected a boolean/);
    });
  });

  it("merges a JSON object given for a parent key, nested variables still winning", async () => {
    await withEnv({ NITRO_OAUTH: '{"clientId":"from-json","scope":"x"}', NITRO_OAUTH_CLIENT_SECRET: "from-var" }, () => {
      const app = make({ runtimeConfig: { oauth: { clientId: "d", clientSecret: "d" } } });
      expect(app.runtimeConfig.oauth).toEqual({ clientId: "from-json", clientSecret: "from-var", scope: "x" });
    });
  });

  it("looks up envPrefix after NITRO_", async () => {
    await withEnv({ APP_API_SECRET: "from-app", NITRO_TOKEN: "nitro-wins", APP_TOKEN: "app-loses" }, () => {
      const app = make({ envPrefix: "APP_", runtimeConfig: { apiSecret: "dev", token: "dev" } });
      expect(app.runtimeConfig).toMatchObject({ apiSecret: "from-app", token: "nitro-wins" });
    });
  });

  it("takes the second prefix from runtimeConfig.nitro.envPrefix, Nitro's place, then NITRO_ENV_PREFIX", async () => {
    await withEnv({ APP_API_SECRET: "from-app", NITRO_TOKEN: "nitro-wins", APP_TOKEN: "app-loses", SVC_API_SECRET: "from-svc", NITRO_ENV_PREFIX: "SVC_" }, () => {
      const nitroPlace = make({ runtimeConfig: { apiSecret: "dev", token: "dev", nitro: { envPrefix: "APP_" } } });
      expect(nitroPlace.runtimeConfig).toMatchObject({ apiSecret: "from-app", token: "nitro-wins", nitro: { envPrefix: "APP_" } });
      // The top-level option lands in Nitro's place too.
      expect(make({ envPrefix: "APP_", runtimeConfig: { apiSecret: "dev" } }).runtimeConfig.nitro).toEqual({ envPrefix: "APP_" });
      // Neither given: Nitro's NITRO_ENV_PREFIX variable names it.
      expect(make({ runtimeConfig: { apiSecret: "dev" } }).runtimeConfig.apiSecret).toBe("from-svc");
    });
  });

  it("refuses a malformed runtimeConfig.nitro.envPrefix, or one that contradicts envPrefix", () => {
    expect(() => make({ runtimeConfig: { nitro: { envPrefix: "app" } } })).toThrow(/runtimeConfig\.nitro\.envPrefix: expected an upper-case prefix/);
    expect(() => make({ envPrefix: "APP_", runtimeConfig: { nitro: { envPrefix: "SVC_" } } })).toThrow(/envPrefix \('APP_'\) and runtimeConfig\.nitro\.envPrefix \('SVC_'\) disagree/);
    expect(() => make({ runtimeConfig: { nitro: "x" } } as never)).toThrow(/runtimeConfig\.nitro: expected an object/);
    expect(make({ envPrefix: "APP_", runtimeConfig: { nitro: { envPrefix: "APP_" } } }).runtimeConfig.nitro?.envPrefix).toBe("APP_");
  });

  it("puts Nitro's app.baseURL (trailing slash) and nitro keys in the resolved config; declared values win", () => {
    const rules = { "/blog/**": { swr: 60 } };
    const app = make({ baseURL: "/shop", routeRules: rules, experimental: { envExpansion: true }, runtimeConfig: { apiSecret: "dev" } });
    expect(app.runtimeConfig.app).toEqual({ baseURL: "/shop/" });
    expect(app.runtimeConfig.nitro).toEqual({ envExpansion: true, routeRules: rules });
    expect(make({ baseURL: "/shop/", runtimeConfig: { app: { baseURL: "/custom/", name: "x" } } }).runtimeConfig.app).toEqual({ baseURL: "/custom/", name: "x" });
    expect(make({}).runtimeConfig.app).toEqual({ baseURL: "/" });
  });

  it("reads envExpansion from runtimeConfig.nitro and NITRO_ENV_EXPANSION too", async () => {
    await withEnv({ DB_HOST: "db.internal" }, () => {
      expect(make({ runtimeConfig: { url: "//{{DB_HOST}}", nitro: { envExpansion: true } } }).runtimeConfig.url).toBe("//db.internal");
    });
    await withEnv({ DB_HOST: "db.internal", NITRO_ENV_EXPANSION: "true" }, () => {
      expect(make({ runtimeConfig: { url: "//{{DB_HOST}}" } }).runtimeConfig.url).toBe("//db.internal");
    });
  });

  it("expands {{VAR}} when envExpansion is on, and only then", async () => {
    await withEnv({ DB_HOST: "db.internal" }, () => {
      const on = make({ experimental: { envExpansion: true }, runtimeConfig: { url: "postgres://{{DB_HOST}}/app", hosts: ["{{DB_HOST}}"], missing: "{{NOPE}}" } });
      expect(on.runtimeConfig).toMatchObject({ url: "postgres://db.internal/app", hosts: ["db.internal"], missing: "{{NOPE}}" });
      const off = make({ runtimeConfig: { url: "postgres://{{DB_HOST}}/app" } });
      expect(off.runtimeConfig.url).toBe("postgres://{{DB_HOST}}/app");
    });
  });

  it("validates against runtimeConfigSchema with a readable message", async () => {
    const schema = z.object({ apiSecret: z.string().min(8), port: z.number() });
    await withEnv({ NITRO_API_SECRET: "short" }, () => {
      expect(() => make({ runtimeConfigSchema: schema, runtimeConfig: { apiSecret: "long-enough", port: 1 } })).toThrow(
        /runtimeConfig\.apiSecret: Too small/,
      );
    });
    expect(make({ runtimeConfigSchema: schema, runtimeConfig: { apiSecret: "long-enough", port: 1 } }).runtimeConfig.port).toBe(1);
  });

  it("always provides a public object", () => {
    expect(make({ runtimeConfig: { a: 1 } }).runtimeConfig.public).toEqual({});
  });

  it("overlays per-request platform env (Workers bindings) with the same rules, once per env object", async () => {
    const app = make({ runtimeConfig: { apiSecret: "dev", limit: 10, public: { apiBase: "/" } } });
    app.get("/config", defineHandler((event) => {
      const config = useRuntimeConfig(event);
      return { config, same: config === useRuntimeConfig(event) };
    }));
    const env = { NITRO_API_SECRET: "from-binding", NITRO_LIMIT: "25" };
    const res = await app.fetch(new Request("http://localhost/config"), { cloudflare: { env, context: {} } });
    expect(await res.json()).toEqual({ config: { apiSecret: "from-binding", limit: 25, public: { apiBase: "/" }, app: { baseURL: "/" }, nitro: {} }, same: true });
    // Without the binding the process-level config is served.
    expect((await (await request(app, "/config")).json()).config.apiSecret).toBe("dev");
  });
});
