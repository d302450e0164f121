import type { Connector } from "db0";
import type { NitroDatabaseConnection } from "../types/app.js";
import { installHint } from "../storage/drivers.js";
import { importOptional } from "../platform/optional-import.js";
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

/**
 * db0's connector names (its `connectors` export), so a config naming an unknown one fails
 * in `createNitroApp()` without importing db0 at start-up. test/database/connector-names.test.ts
 * keeps this list equal to the installed db0's.
 */
export const DB0_CONNECTOR_NAMES: ReadonlySet<string> = new Set([
  "better-sqlite3",
  "bun-sqlite",
  "bun",
  "cloudflare-d1",
  "cloudflare-hyperdrive-mysql",
  "cloudflare-hyperdrive-postgresql",
  "libsql-core",
  "libsql-http",
  "libsql-node",
  "libsql",
  "libsql-web",
  "mysql2",
  "neon",
  "node-sqlite",
  "sqlite",
  "pglite",
  "planetscale",
  "postgresql",
  "sqlite3",
]);

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
 * Imports the connector module for a connection and returns a function that
 * creates it; db0 connectors connect on first query. With `checkDriver`, the
 * client library (pg, mysql2, @libsql/client…) is imported now too, so a missing
 * package fails start-up with what to install instead of failing the first query.
 */
export async function loadConnector(
  name: string,
  connection: NitroDatabaseConnection,
  context: { rootDir: string; checkDriver: boolean },
): Promise<() => Connector> {
  assertKnownConnector(name, connection);
  const resolved = resolveConnectorName(connection.connector);
  // db0 itself loads here (in ready()), not at start-up.
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
  const options = connection.connector === "sqlite" ? embeddedOptions(resolved, connection.options ?? {}, context.rootDir) : (connection.options ?? {});
  return () => factory(options);
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
