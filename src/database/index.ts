/**
 * `nitrokit/database`: SQL through db0, as `nitro/database`.
 * @module
 */
import type { Database } from "db0";
import { useNitroApp } from "../app/context.js";

export type { Database } from "db0";

/**
 * A db0 database of the app serving the current request: `default` (embedded
 * SQLite in `.data/db.sqlite` unless configured) or a connection named in the
 * `database` config. Queries through `db.sql` tagged templates are parameterised.
 *
 * @example
 * import { useDatabase } from "nitrokit/database";
 * const db = useDatabase();
 * const { rows } = await db.sql`SELECT * FROM products WHERE price > ${minPrice}`;
 */
export function useDatabase(name = "default"): Database {
  return useNitroApp().database(name);
}
