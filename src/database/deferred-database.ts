import type { Database, DatabaseCapabilities, ExecResult, PreparedStatement, Primitive, SQLDialect, Statement } from "db0";

const DISPOSED = "This database instance has been disposed and cannot be used.";

/**
 * A db0 `Database` whose connector (and db0 itself) loads on its first query rather than
 * in `ready()`: `useDatabase()` is synchronous, but every query it leads to is a promise,
 * so the import can wait inside the first one. Used for every connection (the implicit
 * `default` SQLite and the configured ones): an app that never queries one imports neither
 * db0, nor its connector, nor its client (pg, mysql2...) at start-up. `connector`, `dialect` and
 * `capabilities` are known from the connector's name (see `connectorTraits`).
 */
export class DeferredDatabase implements Database {
  readonly connector: Database["connector"];
  readonly #dialect: SQLDialect;
  readonly #capabilities: DatabaseCapabilities;
  readonly #open: () => Promise<Database>;
  #database: Promise<Database> | undefined;
  #loaded: Database | undefined;
  #disposed = false;

  /** `open` imports the connector and creates the database; it runs once, on the first query (again after a failure). */
  constructor(connector: string, traits: { dialect: SQLDialect; capabilities: DatabaseCapabilities }, open: () => Promise<Database>) {
    this.connector = connector as Database["connector"];
    this.#dialect = traits.dialect;
    this.#capabilities = traits.capabilities;
    this.#open = open;
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
    // A failed load (a missing client package…) is not cached: the next query tries again.
    this.#database ??= this.#open().then(
      (database) => (this.#loaded = database),
      (error: unknown) => {
        this.#database = undefined;
        throw error;
      },
    );
    return run(await this.#database);
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
