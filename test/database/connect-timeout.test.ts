/**
 * A PostgreSQL server (or a proxy in front of one) that accepts the TCP connection and never
 * answers must not hang requests forever. db0 caches the pending connect, and pg's `Client` has
 * no connect timeout unless its config object carries `connectionTimeoutMillis` (a URL's
 * `connect_timeout` is not honoured): so `{ url }` is handed to pg as `{ connectionString }`, with
 * `connectionTimeoutMillis` defaulting to 10 s. A silent `node:net` server plays the stuck server;
 * no real PostgreSQL is needed, except for the last block.
 */
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useDatabase } from "../../src/database/index.js";
import { describeWithService } from "../fixtures/services.js";

/** A TCP server on 127.0.0.1 that accepts every connection and never writes a byte. */
interface SilentServer {
  url: string;
  /** Resolves once a client has connected (pg sets its connect timer before connecting). */
  connected: Promise<void>;
  /** Ends every accepted socket and closes the server. */
  close(): Promise<void>;
}

async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let onConnection: () => void = () => {};
  const connected = new Promise<void>((resolve) => (onConnection = resolve));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A client's reset of a socket we never answer is expected.
    socket.on("error", () => {});
    onConnection();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/test`,
    connected,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let app: NitroApp | undefined;
let stuck: SilentServer | undefined;

afterEach(async () => {
  vi.useRealTimers();
  // The server first: a connect still waiting on it (connectionTimeoutMillis: 0) ends, so closing the app does not wait for it.
  await stuck?.close();
  stuck = undefined;
  await app?.close();
  app = undefined;
  vi.restoreAllMocks();
});

/** An app whose `main` connection is PostgreSQL with `options`, a route that queries it and one that does not. */
async function appWith(options: Record<string, unknown>): Promise<NitroApp> {
  app = createNitroApp({ database: { main: { connector: "postgresql", options } } });
  app.get("/query", defineHandler(async () => {
    const { rows } = await useDatabase("main").sql`SELECT 1 AS one`;
    return { rows };
  }));
  app.get("/health", defineHandler(() => ({ ok: true })));
  await app.ready();
  return app;
}

/** Whether `promise` is still pending after the I/O already under way has had a few turns to settle it. */
async function stillPending(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol("pending");
  const turns = (async () => {
    for (let turn = 0; turn < 20; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
    return pending;
  })();
  return (await Promise.race([promise, turns])) === pending;
}

/** `console.error` silenced, to see what the request path reported. */
function spyOnErrors() {
  return vi.spyOn(console, "error").mockImplementation(() => {});
}

/** What the request path reported for `/query` (its log line and the error), as one string per report. */
function reportsOfQuery(spy: ReturnType<typeof spyOnErrors>): string[] {
  return spy.mock.calls.map((call) => call.map(String).join(" ")).filter((line) => line.includes("/query"));
}

/** pg's error when its connect timer fires. */
const CONNECT_TIMEOUT = "timeout expired";

describe("a PostgreSQL server that accepts the connection and never answers", () => {
  beforeEach(async () => {
    stuck = await silentServer();
  });

  it("fails the query after connectionTimeoutMillis, and the app keeps serving", async () => {
    const errors = spyOnErrors();
    const options = { url: stuck!.url, connectionTimeoutMillis: 300 };
    const served = await appWith(options);

    const response = await served.fetch(new Request("http://localhost/query"));
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.headers.get("content-type")).toContain("json");
    await response.body?.cancel();
    expect(reportsOfQuery(errors)).toEqual([expect.stringContaining(CONNECT_TIMEOUT)]);

    // The failed connect is not cached: the next query tries again (and fails again) rather than hanging.
    expect((await served.fetch(new Request("http://localhost/query"))).status).toBeGreaterThanOrEqual(500);
    expect(await served.$fetch("/health")).toEqual({ ok: true });
    // The options are the user's: read, never rewritten.
    expect(options).toEqual({ url: stuck!.url, connectionTimeoutMillis: 300 });
  }, 15_000);

  // pg's connect timer runs on fake time here: only the timer functions are faked, sockets stay real.
  it.each([
    ["10 s by default", {}, 10_000],
    ["a user's connectionTimeoutMillis", { connectionTimeoutMillis: 2_500 }, 2_500],
  ])("gives up after %s", async (_, timeout, expectedMs) => {
    const errors = spyOnErrors();
    const served = await appWith({ url: stuck!.url, ...timeout });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });

    const response = served.fetch(new Request("http://localhost/query"));
    // pg sets its timer before it connects.
    await stuck!.connected;
    await vi.advanceTimersByTimeAsync(expectedMs - 1);
    expect(await stillPending(response)).toBe(true);

    await vi.advanceTimersByTimeAsync(1);
    const settled = await response;
    expect(settled.status).toBeGreaterThanOrEqual(500);
    await settled.body?.cancel();
    expect(reportsOfQuery(errors)).toEqual([expect.stringContaining(CONNECT_TIMEOUT)]);
  }, 15_000);

  it("keeps pg's no-timeout with connectionTimeoutMillis: 0", async () => {
    const errors = spyOnErrors();
    const served = await appWith({ url: stuck!.url, connectionTimeoutMillis: 0 });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });

    const response = served.fetch(new Request("http://localhost/query"));
    await stuck!.connected;
    // Well past the default: no timer is there to fire.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await stillPending(response)).toBe(true);

    // The server going away ends the connect, and with it the request.
    await stuck!.close();
    stuck = undefined;
    const settled = await response;
    expect(settled.status).toBeGreaterThanOrEqual(500);
    await settled.body?.cancel();
    const reports = reportsOfQuery(errors);
    expect(reports).toHaveLength(1);
    expect(reports[0]).not.toContain(CONNECT_TIMEOUT);
  }, 15_000);
});

describeWithService("POSTGRES", "a real PostgreSQL with the connect timeout", (url) => {
  it.each([
    ["{ url }", { url }],
    ["{ url, connectionTimeoutMillis: 5000, max: 1 }", { url, connectionTimeoutMillis: 5000, max: 1 }],
  ])("queries with %s", async (_, options) => {
    const served = await appWith(options);
    expect(await served.$fetch("/query")).toEqual({ rows: [{ one: 1 }] });
  });

  it("hands pg the options given beside the url (db0 alone passes only the url)", async () => {
    const served = await appWith({ url, application_name: "nitrokit-connect-timeout" });
    const { rows } = await served.database("main").sql`SELECT current_setting('application_name') AS name`;
    expect(rows).toEqual([{ name: "nitrokit-connect-timeout" }]);
  });
});
