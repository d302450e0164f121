import type { Connector, DatabaseCapabilities, SQLDialect } from "db0";
import type { NitroDatabaseConnection } from "../types/app.js";
import { installHint } from "../storage/drivers.js";
import { importOptional, isPackageMissing } from "../platform/optional-import.js";
import { builtinModule } from "../platform/builtin-module.js";

type ConnectorFactory = (options: Record<string, unknown>) => Connector;

/** Connectors an adapter imported statically (bundled Workers have no module loader at run time). */
const bundledConnectors = new Map<string, ConnectorFactory>();

/** Makes connector `name` resolve to `factory` without a dynamic import (see `nitrokit/workers`). */
export function registerBundledConnector(name: string, factory: ConnectorFactory): void {
  bundledConnectors.set(name, factory);
}

/** Names Nitro users write that db0 spells differently. `sqlite` means "this runtime's embedded SQLite". */
const ALIASES: Record<string, string> = { mysql: "mysql2", postgres: "postgresql", pg: "postgresql" };

/**
 * The SQLite to use here: the runtime's own where it has one (Bun's `bun:sqlite`;
 * `node:sqlite` on Node ≥ 22.13 and Deno; D1 through the binding `DB` on Workers,
 * which have no file system), else libSQL, which installs prebuilt in seconds and
 * needs no compiler (unlike better-sqlite3).
 */
export function embeddedSqliteConnector(): "bun-sqlite" | "node-sqlite" | "libsql-node" | "cloudflare-d1" {
  if ((globalThis as { Bun?: unknown }).Bun) return "bun-sqlite";
  if ((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers") return "cloudflare-d1";
  if (builtinModule("node:sqlite")) return "node-sqlite";
  return "libsql-node";
}

/** The db0 connector name a connection resolves to. */
export function resolveConnectorName(connector: string): string {
  if (connector === "sqlite") return embeddedSqliteConnector();
  return ALIASES[connector] ?? connector;
}

/** What nitrokit knows of a db0 connector before loading it. */
export interface ConnectorProfile {
  /** Its SQL dialect (db0's `connector.dialect`). */
  dialect: SQLDialect;
  /** What it overrides of its dialect's capabilities (db0's `connector.capabilityOverrides`). */
  overrides?: Partial<DatabaseCapabilities>;
  /** The client library it imports, which users install (db0's `connectorDependencies[name].lib.name`). */
  lib?: string;
}

const SQLITE: ConnectorProfile = { dialect: "sqlite" };
const NO_TRANSACTIONS: Partial<DatabaseCapabilities> = Object.freeze({ transactions: false });

/**
 * db0's connectors (its `connectors` export), with what a connection on one answers before its
 * connector loads: a configured connection imports db0, its connector and its client on its
 * first query, so `dialect` and `capabilities` come from here until then, and `ready()` checks
 * the client library without importing it. test/database/connector-names.test.ts keeps this
 * equal to the installed db0's connectors, `connectorDependencies` and each loaded connector's
 * `dialect` and `capabilities`. (`libsql-core` takes its overrides from its options.)
 */
export const CONNECTOR_PROFILES: Readonly<Record<string, ConnectorProfile>> = {
  "better-sqlite3": { dialect: "sqlite", lib: "better-sqlite3" },
  "bun-sqlite": SQLITE,
  bun: SQLITE,
  "cloudflare-d1": { dialect: "sqlite", overrides: NO_TRANSACTIONS },
  "cloudflare-hyperdrive-mysql": { dialect: "mysql", lib: "mysql2" },
  "cloudflare-hyperdrive-postgresql": { dialect: "postgresql", lib: "pg" },
  "libsql-core": { dialect: "libsql" },
  "libsql-http": { dialect: "libsql", overrides: NO_TRANSACTIONS, lib: "@libsql/client" },
  "libsql-node": { dialect: "libsql", lib: "@libsql/client" },
  libsql: { dialect: "libsql", lib: "@libsql/client" },
  "libsql-web": { dialect: "libsql", overrides: NO_TRANSACTIONS, lib: "@libsql/client" },
  mysql2: { dialect: "mysql", lib: "mysql2" },
  neon: { dialect: "postgresql", lib: "@neondatabase/serverless" },
  "node-sqlite": SQLITE,
  sqlite: SQLITE,
  pglite: { dialect: "postgresql", lib: "@electric-sql/pglite" },
  planetscale: { dialect: "mysql", overrides: NO_TRANSACTIONS, lib: "@planetscale/database" },
  postgresql: { dialect: "postgresql", lib: "pg" },
  sqlite3: { dialect: "sqlite", lib: "sqlite3" },
};

/** db0's connector names, so a config naming an unknown one fails in `createNitroApp()` without importing db0. */
export const DB0_CONNECTOR_NAMES: ReadonlySet<string> = new Set(Object.keys(CONNECTOR_PROFILES));

/**
 * What each dialect offers, as db0's `dialectCapabilities` says (kept equal by
 * test/database/connector-names.test.ts): a connector's capabilities are its dialect's plus
 * its overrides.
 */
export const DIALECT_CAPABILITIES: Readonly<Record<SQLDialect, DatabaseCapabilities>> = {
  sqlite: Object.freeze({ json: true, booleans: false, arrays: false, dates: false, uuids: false, transactions: true }),
  libsql: Object.freeze({ json: true, booleans: false, arrays: false, dates: false, uuids: false, transactions: true }),
  postgresql: Object.freeze({ json: true, booleans: true, arrays: true, dates: true, uuids: true, transactions: true }),
  mysql: Object.freeze({ json: true, booleans: true, arrays: false, dates: true, uuids: false, transactions: true }),
};

/**
 * The dialect and capabilities of a connection on connector `resolved` (a db0 name), as db0
 * will report them once it is loaded. A connector an adapter bundled under a name of its own
 * is taken for SQLite unless db0 has that name.
 */
export function connectorTraits(resolved: string, options: Record<string, unknown>): { dialect: SQLDialect; capabilities: DatabaseCapabilities } {
  const profile = Object.hasOwn(CONNECTOR_PROFILES, resolved) ? CONNECTOR_PROFILES[resolved]! : SQLITE;
  const overrides = resolved === "libsql-core" ? (options.capabilityOverrides as Partial<DatabaseCapabilities> | undefined) : profile.overrides;
  const base = DIALECT_CAPABILITIES[profile.dialect];
  return { dialect: profile.dialect, capabilities: overrides ? Object.freeze({ ...base, ...overrides }) : base };
}

/** Throws, naming the connection, for a connector db0 does not have. */
export function assertKnownConnector(name: string, connection: NitroDatabaseConnection): void {
  // `sqlite` is always one of db0's embedded connectors: probing which one (node:sqlite…) waits for ready().
  if (connection.connector === "sqlite") return;
  const resolved = resolveConnectorName(connection.connector);
  if (!DB0_CONNECTOR_NAMES.has(resolved) && !bundledConnectors.has(resolved)) {
    throw new TypeError(
      `[nitrokit] Database '${name}': unknown connector '${connection.connector}'. ` +
        "Use sqlite, libsql, postgresql, mysql, pglite, cloudflare-d1, … (db0's connectors).",
    );
  }
}

/**
 * Throws, naming the connection and what to install, when its client library (pg, mysql2,
 * @neondatabase/serverless...) is missing: checked in `ready()` without importing it, where the
 * runtime can resolve a package synchronously (elsewhere the first query reports it).
 */
export function assertClientInstalled(name: string, connection: NitroDatabaseConnection): void {
  const resolved = resolveConnectorName(connection.connector);
  if (bundledConnectors.has(resolved)) return;
  const lib = Object.hasOwn(CONNECTOR_PROFILES, resolved) ? CONNECTOR_PROFILES[resolved]!.lib : undefined;
  if (lib && isPackageMissing(lib)) throw new Error(`[nitrokit] Database '${name}' (${connection.connector}): It needs the package '${lib}': npm install ${lib}`);
}

/**
 * Imports db0's connector module for a connection and returns a function that creates it;
 * db0 connectors connect on first query. Runs on a connection's first query. With
 * `checkDriver`, the client library (pg, mysql2, @libsql/client...) is imported now too, which
 * that query needs anyway, so a missing package fails it saying what to install, naming the
 * connection, rather than with the connector's bare import error.
 */
export async function loadConnector(
  name: string,
  connection: NitroDatabaseConnection,
  context: { rootDir: string; checkDriver: boolean },
): Promise<() => Connector> {
  assertKnownConnector(name, connection);
  const resolved = resolveConnectorName(connection.connector);
  // db0 itself loads here (on the first query), not at start-up.
  const { connectors, connectorDependencies } = await import("db0");
  const specifier = connectors[resolved as keyof typeof connectors];
  const factory = bundledConnectors.get(resolved) ?? ((await import(specifier)) as { default: ConnectorFactory }).default;
  const lib = connectorDependencies[resolved as keyof typeof connectorDependencies]?.lib;
  if (context.checkDriver && lib) {
    try {
      await import(("import" in lib && lib.import) || lib.name);
    } catch (error) {
      throw new Error(`[nitrokit] Database '${name}' (${connection.connector}): ${installHint(error)}`, { cause: error });
    }
  }
  const given = connection.options ?? {};
  const options =
    connection.connector === "sqlite" ? embeddedOptions(resolved, given, context.rootDir) : resolved === "postgresql" ? postgresqlOptions(given) : given;
  return () => factory(options);
}

/** A postgresql connection's connect timeout unless its options set one: mysql2's own default, which mysql connections have already. */
const POSTGRESQL_CONNECT_TIMEOUT_MS = 10_000;

/**
 * db0's postgresql connector in pg's terms, with a connect timeout. db0 hands pg's `Client` only
 * the `url` when there is one (dropping every other option), and pg's `Client` has no connect
 * timeout unless its config object has `connectionTimeoutMillis` (a URL's `connect_timeout` is not
 * honoured). db0 caches the pending connect until it fails, so a server or proxy that accepts the
 * connection and never answers would hang every query of the connection for good, even once the
 * database is back. So the url goes to pg as `connectionString` beside the other options, and the
 * timeout defaults to 10 s; a user's `connectionTimeoutMillis` (`0`: none, pg's default) is kept.
 */
function postgresqlOptions(options: Record<string, unknown>): Record<string, unknown> {
  const { url, ...config } = options;
  if (config.connectionTimeoutMillis === undefined) config.connectionTimeoutMillis = POSTGRESQL_CONNECT_TIMEOUT_MS;
  // As with db0, a `url` wins over a `connectionString` given beside it.
  if (url !== undefined) config.connectionString = url;
  return config;
}

/**
 * Nitro's SQLite options (`{ name }` or `{ path }`) in the chosen connector's terms:
 * the file is `<rootDir>/.data/<name>.sqlite` unless a path is given.
 */
function embeddedOptions(connector: string, options: Record<string, unknown>, rootDir: string): Record<string, unknown> {
  if (connector === "cloudflare-d1") return { bindingName: "DB", ...options };
  const name = typeof options.name === "string" ? options.name : "db";
  if (name === ":memory:") return connector === "libsql-node" ? { url: ":memory:" } : { name };
  const path = typeof options.path === "string" ? options.path : `${rootDir}/.data/${name}.sqlite`;
  if (connector !== "libsql-node") return { ...options, path };
  return {
    url: `file:${path}`,
    // libSQL opens the file without creating its folder.
    lib: async () => {
      const fs = builtinModule("node:fs") as { mkdirSync(path: string, options: { recursive: boolean }): void } | undefined;
      fs?.mkdirSync(path.slice(0, Math.max(path.lastIndexOf("/"), 0)) || ".", { recursive: true });
      return importOptional("@libsql/client");
    },
  };
}
