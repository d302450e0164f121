import type { Database, DatabaseCapabilities, ExecResult, PreparedStatement, Primitive, SQLDialect, Statement } from "db0";

const DISPOSED = "This database instance has been disposed and cannot be used.";

/** The part of a client (pg's `Client`, mysql2's connection) that tells when its connection is gone. */
interface ConnectionEvents {
  on(event: "error" | "end", listener: (error?: unknown) => void): unknown;
}

/**
 * A db0 `Database` whose connector (and db0 itself) loads on its first query rather than
 * in `ready()`: `useDatabase()` is synchronous, but every query it leads to is a promise,
 * so the import can wait inside the first one. Used for every connection (the implicit
 * `default` SQLite and the configured ones): an app that never queries one imports neither
 * db0, nor its connector, nor its client (pg, mysql2...) at start-up. `connector`, `dialect` and
 * `capabilities` are known from the connector's name (see `connectorTraits`).
 *
 * It also outlives its connection. db0's server connectors hold one client for good: once its
 * connection drops (the server restarts, a failover, an administrator's kill, a proxy's idle
 * timeout), pg's client emits `error`, which unheard ends the process, and every later query
 * fails ("not queryable"). Here the client's `error` and `end` are heard: the broken database is
 * let go, and the next query opens a new one.
 */
export class DeferredDatabase implements Database {
  readonly connector: Database["connector"];
  readonly #dialect: SQLDialect;
  readonly #capabilities: DatabaseCapabilities;
  readonly #open: () => Promise<Database>;
  readonly #name: string;
  #database: Promise<Database> | undefined;
  #loaded: Database | undefined;
  #disposed = false;

  /**
   * `open` imports the connector and creates the database; it runs on the first query, and again
   * after a failure or a lost connection. `name` is the connection's, for the warning.
   */
  constructor(connector: string, traits: { dialect: SQLDialect; capabilities: DatabaseCapabilities }, open: () => Promise<Database>, name = connector) {
    this.connector = connector as Database["connector"];
    this.#dialect = traits.dialect;
    this.#capabilities = traits.capabilities;
    this.#open = open;
    this.#name = name;
  }

  get dialect(): SQLDialect {
    return this.#loaded?.dialect ?? this.#dialect;
  }

  get capabilities(): DatabaseCapabilities {
    return this.#loaded?.capabilities ?? this.#capabilities;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  getInstance = (): Promise<never> => this.#use((database) => database.getInstance() as Promise<never>);

  exec = (sql: string): Promise<ExecResult> => this.#use((database) => database.exec(sql));

  prepare = (sql: string): Statement => deferredStatement(() => this.#use(async (database) => database.prepare(sql)));

  sql = <T>(strings: TemplateStringsArray, ...values: Primitive[]): Promise<T> => this.#use((database) => database.sql<T>(strings, ...values));

  dispose = async (): Promise<void> => {
    if (this.#disposed) return;
    this.#disposed = true;
    // A connection that was never opened has nothing to close; one being opened closes once open.
    const database = await this.#database?.catch(() => undefined);
    await database?.dispose();
  };

  [Symbol.asyncDispose] = (): Promise<void> => this.dispose();

  async #use<T>(run: (database: Database) => Promise<T>): Promise<T> {
    if (this.#disposed) throw new Error(DISPOSED);
    // A failed load (a missing client package…) or connection is not cached: the next query tries again.
    this.#database ??= this.#open()
      .then(async (database) => {
        await this.#watchConnection(database);
        return (this.#loaded = database);
      })
      .catch((error: unknown) => {
        this.#database = undefined;
        throw error;
      });
    return run(await this.#database);
  }

  /**
   * Listens for the end of a server connection's client (an event emitter: pg's `Client`, mysql2's
   * connection; embedded SQLite has none). Asking for it opens the connection, which the query about
   * to run does anyway.
   */
  async #watchConnection(database: Database): Promise<void> {
    const client = (await database.getInstance()) as Partial<ConnectionEvents> | undefined;
    if (typeof client?.on !== "function") return;
    const lost = (error?: unknown) => this.#connectionLost(database, error);
    client.on("error", lost);
    client.on("end", () => lost());
  }

  /** Lets go of a database whose connection is gone (once: `error` and `end` both come), so the next query opens a new one. */
  #connectionLost(database: Database, error?: unknown): void {
    if (this.#loaded !== database || this.#disposed) return;
    this.#loaded = undefined;
    this.#database = undefined;
    const reason = error instanceof Error ? error.message : "closed by the server";
    console.warn(`[nitrokit] Database '${this.#name}': the connection was lost (${reason}); the next query reconnects.`);
    // Closing a broken client may fail or never finish: nothing waits for it.
    database.dispose().catch(() => undefined);
  }
}

/** A statement whose real one is prepared when it runs (`prepared` resolves it each time). */
function deferredStatement(prepared: () => Promise<Statement | PreparedStatement>): Statement {
  return {
    bind: (...params: Primitive[]) => deferredStatement(async () => (await prepared()).bind(...params)),
    all: async (...params: Primitive[]) => ((await prepared()) as Statement).all(...params),
    run: async (...params: Primitive[]) => ((await prepared()) as Statement).run(...params),
    get: async (...params: Primitive[]) => ((await prepared()) as Statement).get(...params),
  };
}
