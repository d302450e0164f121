import type { Database, DatabaseCapabilities, ExecResult, PreparedStatement, Primitive, SQLDialect, Statement } from "db0";

/**
 * What the SQLite dialects offer, as db0 reports them for `sqlite` and `libsql` (both the same),
 * and the connectors that override it (D1 has no transactions): the deferred database answers
 * `capabilities` before its connector has loaded. test/database/sqlite.test.ts (this runtime's
 * connector) and test/adapters/workers/worker.test.ts (D1) keep this equal to the loaded one's.
 */
const EMBEDDED_SQLITE_CAPABILITIES: DatabaseCapabilities = Object.freeze({
  json: true,
  booleans: false,
  arrays: false,
  dates: false,
  uuids: false,
  transactions: true,
});
const CAPABILITY_OVERRIDES: Record<string, Partial<DatabaseCapabilities>> = { "cloudflare-d1": { transactions: false } };

const DISPOSED = "This database instance has been disposed and cannot be used.";

/**
 * A db0 `Database` whose connector (and db0 itself) loads on its first query rather than
 * in `ready()`: `useDatabase()` is synchronous, but every query it leads to is a promise,
 * so the import can wait inside the first one. Used for the implicit `default` connection
 * (embedded SQLite), which most apps never touch: they then import neither db0 nor a
 * connector at start-up. `connector` and `dialect` are known from the connector's name.
 */
export class DeferredDatabase implements Database {
  readonly connector: Database["connector"];
  readonly #dialect: SQLDialect;
  readonly #capabilities: DatabaseCapabilities;
  readonly #open: () => Promise<Database>;
  #database: Promise<Database> | undefined;
  #loaded: Database | undefined;
  #disposed = false;

  /** `open` imports the connector and creates the database; it runs once, on the first query. */
  constructor(connector: string, dialect: SQLDialect, open: () => Promise<Database>) {
    this.connector = connector as Database["connector"];
    this.#dialect = dialect;
    const overrides = CAPABILITY_OVERRIDES[connector];
    this.#capabilities = overrides ? Object.freeze({ ...EMBEDDED_SQLITE_CAPABILITIES, ...overrides }) : EMBEDDED_SQLITE_CAPABILITIES;
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
