import { builtinDrivers } from "unstorage";
import { connectors } from "db0";
import type { NitroConfig } from "../../types/app.js";
import type { Preset } from "./presets.js";

/**
 * The modules an app imports by name at run time (storage drivers and database
 * connectors load lazily through a computed specifier, which no bundler follows):
 * the defaults (fs for `data`, lru-cache for `cache`, fs-lite for server assets,
 * SQLite through `node:sqlite` or libSQL) and whatever the config names. The build
 * traces them into `node_modules` beside the bundle.
 */
export function runtimeModules(config: NitroConfig, preset: Preset): string[] {
  const drivers = new Set(["fs", "fs-lite", "lru-cache", "memory"]);
  for (const mount of Object.values(config.storage ?? {})) drivers.add(mount.driver);
  const connectorNames = new Set<string>();
  const databases = Object.values(config.database ?? {});
  if (!config.database?.default) databases.push({ connector: "sqlite" });
  for (const { connector } of databases) {
    // The embedded SQLite each runtime picks (see embeddedSqliteConnector); Node's depends on its version.
    if (connector === "sqlite" && preset === "bun") connectorNames.add("bun-sqlite");
    else if (connector === "sqlite" && preset === "deno") connectorNames.add("node-sqlite");
    else if (connector === "sqlite") connectorNames.add("node-sqlite").add("libsql-node");
    else connectorNames.add(({ mysql: "mysql2", postgres: "postgresql", pg: "postgresql" } as Record<string, string>)[connector] ?? connector);
  }
  const specifiers = [
    ...[...drivers].map((name) => builtinDrivers[name as keyof typeof builtinDrivers]),
    ...[...connectorNames].map((name) => connectors[name as keyof typeof connectors]),
  ].filter((specifier): specifier is string => typeof specifier === "string");
  // The client libraries connectors import (pg, mysql2, @libsql/client), when the connector is used.
  if (connectorNames.has("libsql-node")) specifiers.push("@libsql/client");
  if (connectorNames.has("postgresql")) specifiers.push("pg");
  if (connectorNames.has("mysql2")) specifiers.push("mysql2");
  // Redis storage mounts, the scheduler's Redis lock and the WebSocket relay load ioredis by name.
  if (/"redis"|redis:\/\//.test(JSON.stringify({ storage: config.storage, scheduler: config.scheduler, websocket: config.websocket }) ?? "")) specifiers.push("ioredis");
  return specifiers;
}
