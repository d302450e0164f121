/**
 * `nitrokit/bun`: serve an app on Bun (`Bun.serve`), WebSockets included.
 * Default storage and database on Bun: `data` in files under `.data/kv`, SQLite
 * through `bun:sqlite` in `.data/db.sqlite`.
 * @module
 */
export { serve, type BunServeOptions, type NitroBunServer } from "./bun/serve.js";
