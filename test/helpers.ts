import { afterEach, vi } from "vitest";
import { createNitroApp, type NitroApp, type NitroConfig } from "../src/index.js";
import { serve, type NitroNodeServer } from "../src/adapters/node.js";

/** Sends `path` to the app in-process, as a client on http://localhost would. */
export function request(app: NitroApp, path: string, init?: RequestInit): Promise<Response> {
  return app.fetch(new Request(new URL(path, "http://localhost"), init));
}

/** A JSON POST/PUT/PATCH body. */
export function json(body: unknown, method = "POST", headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** Runs `fn` with `vars` set in process.env, restoring the previous values afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(vars)) setEnv(key, value);
  try {
    return await fn();
  } finally {
    for (const [key, value] of Object.entries(saved)) setEnv(key, value);
  }
}

function setEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

/**
 * A small deterministic random generator (mulberry32) and a picker over it, for tests that try many
 * random inputs: a failing case is reproduced from its seed.
 */
export function seededRandom(seed: number): { next: () => number; pick: <T>(items: readonly T[]) => T } {
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: (items) => items[Math.floor(next() * items.length)]! };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Serves `app` on a free loopback port for a test: ready, listening, quiet, signals left alone. */
export async function serveOnLoopback(app: NitroApp): Promise<{ server: NitroNodeServer; base: string }> {
  await app.ready();
  const server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
  await server.ready();
  return { server, base: server.url!.replace(/\/$/, "") };
}

/**
 * For one test file: serves an app on a free loopback port (see {@link serveOnLoopback}) and
 * answers its base URL; every server it started is closed after each test.
 */
export function servedUntilEachTestEnds(): (app: NitroApp) => Promise<string> {
  const servers: NitroNodeServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (app) => {
    const { server, base } = await serveOnLoopback(app);
    servers.push(server);
    return base;
  };
}

/**
 * An app factory for one test file: every app it makes is closed after each test
 * (and spies restored). `defaults` is read per app, so it may depend on per-test state.
 */
export function appsClosedAfterEach(defaults: () => NitroConfig = () => ({})): (config?: NitroConfig) => NitroApp {
  const apps: NitroApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    vi.restoreAllMocks();
  });
  return (config = {}) => {
    const app = createNitroApp({ ...defaults(), ...config });
    apps.push(app);
    return app;
  };
}
