/**
 * A database connection that drops while the app runs (the server restarts, a failover, an
 * administrator's kill, a proxy's idle timeout) must neither crash the process nor leave every
 * later query failing: the client's `error` event is handled and the next query reconnects.
 * Each test ends only its own session on the shared server (pg_terminate_backend, KILL).
 */
import { afterEach, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useDatabase } from "../../src/database/index.js";
import { describeWithService } from "../fixtures/services.js";

let app: NitroApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  vi.restoreAllMocks();
});

/**
 * An app whose `main` connection is `connection`, with a route that reads the server's id for its
 * session, and a second connection to the same server (`admin`) that ends sessions.
 */
async function appOn(connection: { connector: string; options: Record<string, unknown> }, sessionQuery: string): Promise<NitroApp> {
  app = createNitroApp({ database: { main: connection, admin: connection } });
  app.get("/session", defineHandler(async () => {
    const rows = await useDatabase("main").prepare(sessionQuery).all();
    return { session: Number(Object.values(rows[0] as Record<string, unknown>)[0]) };
  }));
  await app.ready();
  return app;
}

/**
 * The session the route answers with once it answers from another one than `first`. A query right
 * after the kill may still meet the dying connection (a 500); unless the database reconnects,
 * every later one fails too.
 */
async function nextSession(served: NitroApp, first: number): Promise<number> {
  return vi.waitFor(
    async () => {
      const { session } = await served.$fetch<{ session: number }>("/session");
      expect(session).not.toBe(first);
      return session;
    },
    { timeout: 5_000, interval: 50 },
  );
}

function warnedOfLoss(warn: { mock: { calls: unknown[][] } }): boolean {
  return warn.mock.calls.some((call) => String(call[0]).includes("Database 'main': the connection was lost"));
}

describeWithService("POSTGRES", "a PostgreSQL connection that drops while the app runs", (url) => {
  it("does not crash the process, and the next query opens a new session", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const served = await appOn({ connector: "postgresql", options: { url } }, "SELECT pg_backend_pid() AS pid");
    const { session: first } = await served.$fetch<{ session: number }>("/session");

    await served.database("admin").sql`SELECT pg_terminate_backend(${first})`;
    // Unhandled, the idle client's `error` event would end the process (vitest reports it as an unhandled error).
    const second = await nextSession(served, first);
    expect((await served.$fetch<{ session: number }>("/session")).session).toBe(second);
    expect(warnedOfLoss(warn)).toBe(true);
  });
});

describeWithService("MYSQL", "a MariaDB/MySQL connection that drops while the app runs", (url) => {
  it("does not crash the process, and the next query opens a new session", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { hostname, port, username, password, pathname } = new URL(url);
    const options = { host: hostname, port: Number(port || 3306), database: pathname.slice(1), user: decodeURIComponent(username), password: decodeURIComponent(password) };
    const served = await appOn({ connector: "mysql", options }, "SELECT CONNECTION_ID() AS id");
    const { session: first } = await served.$fetch<{ session: number }>("/session");

    await served.database("admin").exec(`KILL ${Number(first)}`);
    const second = await nextSession(served, first);
    expect((await served.$fetch<{ session: number }>("/session")).session).toBe(second);
    expect(warnedOfLoss(warn)).toBe(true);
  });
});
