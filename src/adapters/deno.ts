/**
 * `nitrokit/deno`: serve an app on Deno (`Deno.serve`), WebSockets included.
 * Default storage and database on Deno: `data` in files under `.data/kv`, SQLite
 * through `node:sqlite` in `.data/db.sqlite`.
 * @module
 */
export { serve, type DenoServeOptions, type NitroDenoServer } from "./deno/serve.js";
