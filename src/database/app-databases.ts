import type { Database } from "db0";
import type { NitroConfig, NitroDatabaseConnection } from "../types/app.js";
import { assertClientInstalled, assertKnownConnector, connectorTraits, loadConnector, resolveConnectorName } from "./connectors.js";
import { DeferredDatabase } from "./deferred-database.js";
import { instrumentation } from "../app/instrumentation.js";

/**
 * The app's SQL connections (db0). Every connection, the implicit `default` (embedded SQLite)
 * as much as the configured ones, imports db0, its connector and its client library on its first
 * query, so an app that does not query a connection pays nothing for it at start-up. `ready()`
 * only checks that configured connections' client packages are installed (without importing
 * them), so a missing one still fails start-up naming what to install. Each connection is
 * created on its first `useDatabase()` and connects on its first query: no file and no socket
 * until then.
 */
export class AppDatabases {
  readonly #connections: Record<string, NitroDatabaseConnection>;
  readonly #explicit: Set<string>;
  readonly #rootDir: string;
  readonly #open = new Map<string, Database>();
  #checked = false;

  constructor(config: NitroConfig) {
    this.#rootDir = (config.rootDir ?? globalThis.process?.cwd?.() ?? ".").replace(/\/+$/, "");
    const configured = { ...config.database, ...(config.dev ? config.devDatabase : undefined) };
    this.#explicit = new Set(Object.keys(configured));
    this.#connections = { default: { connector: "sqlite" }, ...configured };
    for (const [name, connection] of Object.entries(this.#connections)) assertKnownConnector(name, connection);
  }

  /** Part of `ready()`: fails, saying what to install, when a configured connection's client package is missing. */
  async load(): Promise<void> {
    if (this.#checked) return;
    for (const name of this.#explicit) assertClientInstalled(name, this.#connections[name]!);
    this.#checked = true;
  }

  /** The connection called `name`, created on first use and reused. */
  get(name: string): Database {
    const open = this.#open.get(name);
    if (open) return open;
    if (!Object.hasOwn(this.#connections, name)) {
      throw new Error(`[nitrokit] useDatabase('${name}'): no such connection. Configured: ${Object.keys(this.#connections).join(", ")}.`);
    }
    const database = this.#deferred(name);
    this.#open.set(name, database);
    return database;
  }

  /** Connection `name`, its connector (and db0, and the client library) imported by its first query. */
  #deferred(name: string): Database {
    const connection = this.#connections[name]!;
    const connector = resolveConnectorName(connection.connector);
    // A configured connection's client is imported with its connector, so a missing one is reported naming the connection.
    const checkDriver = this.#explicit.has(name);
    return new DeferredDatabase(connector, connectorTraits(connector, connection.options ?? {}), async () => {
      const [{ createDatabase }, factory] = await Promise.all([import("db0"), loadConnector(name, connection, { rootDir: this.#rootDir, checkDriver })]);
      const spans = instrumentation();
      return createDatabase(spans ? spans.connector(factory(), name) : factory());
    }, name);
  }

  /** Closes every opened connection. */
  async dispose(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(open.map((database) => database.dispose()));
  }
}
