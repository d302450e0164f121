import type { Connector, Database } from "db0";
import type { NitroConfig, NitroDatabaseConnection } from "../types/app.js";
import { assertKnownConnector, loadConnector, resolveConnectorName } from "./connectors.js";
import { DeferredDatabase } from "./deferred-database.js";
import { instrumentation } from "../app/instrumentation.js";

/**
 * The app's SQL connections (db0). The connector modules of configured connections load in
 * `ready()` (a missing client package fails start-up, naming what to install); the implicit
 * `default` (embedded SQLite) loads db0 and its connector on its first query instead, so an
 * app that never touches SQL imports neither. Each connection is created on its first
 * `useDatabase()` and connects on its first query: no file and no socket until then.
 */
export class AppDatabases {
  readonly #connections: Record<string, NitroDatabaseConnection>;
  readonly #explicit: Set<string>;
  readonly #rootDir: string;
  readonly #factories = new Map<string, () => Connector>();
  readonly #open = new Map<string, Database>();
  /** db0's `createDatabase`, imported by `load()`: db0 is not part of start-up. */
  #createDatabase: ((connector: Connector) => Database) | undefined;
  #loaded: Promise<void> | undefined;

  constructor(config: NitroConfig) {
    this.#rootDir = (config.rootDir ?? globalThis.process?.cwd?.() ?? ".").replace(/\/+$/, "");
    const configured = { ...config.database, ...(config.dev ? config.devDatabase : undefined) };
    this.#explicit = new Set(Object.keys(configured));
    this.#connections = { default: { connector: "sqlite" }, ...configured };
    for (const [name, connection] of Object.entries(this.#connections)) assertKnownConnector(name, connection);
  }

  load(): Promise<void> {
    return (this.#loaded ??= (async () => {
      const entries = Object.entries(this.#connections).filter(([name]) => this.#explicit.has(name));
      if (entries.length === 0) return;
      this.#createDatabase = (await import("db0")).createDatabase;
      const factories = await Promise.all(
        entries.map(([name, connection]) => loadConnector(name, connection, { rootDir: this.#rootDir, checkDriver: true })),
      );
      entries.forEach(([name], i) => this.#factories.set(name, factories[i]!));
    })());
  }

  /** The connection called `name`, created on first use and reused. */
  get(name: string): Database {
    const open = this.#open.get(name);
    if (open) return open;
    if (Object.hasOwn(this.#connections, name) && !this.#explicit.has(name)) {
      const database = this.#deferred(name);
      this.#open.set(name, database);
      return database;
    }
    const factory = this.#factories.get(name);
    if (!factory || !this.#createDatabase) {
      if (!Object.hasOwn(this.#connections, name)) {
        throw new Error(`[nitrokit] useDatabase('${name}'): no such connection. Configured: ${Object.keys(this.#connections).join(", ")}.`);
      }
      throw new Error(`[nitrokit] useDatabase('${name}'): databases are available once app.ready() has loaded their connectors.`);
    }
    const spans = instrumentation();
    const database = this.#createDatabase(spans ? spans.connector(factory(), name) : factory());
    this.#open.set(name, database);
    return database;
  }

  /** The implicit connection `name` (embedded SQLite), its connector imported by its first query. */
  #deferred(name: string): Database {
    const connection = this.#connections[name]!;
    const connector = resolveConnectorName(connection.connector);
    return new DeferredDatabase(connector, connector.startsWith("libsql") ? "libsql" : "sqlite", async () => {
      const [{ createDatabase }, factory] = await Promise.all([
        import("db0"),
        loadConnector(name, connection, { rootDir: this.#rootDir, checkDriver: false }),
      ]);
      const spans = instrumentation();
      return createDatabase(spans ? spans.connector(factory(), name) : factory());
    });
  }

  /** Closes every opened connection. */
  async dispose(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(open.map((database) => database.dispose()));
  }
}
