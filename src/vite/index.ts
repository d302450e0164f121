/**
 * `nitrokit/vite`: the app inside Vite's dev server (one port, hot reload through Vite's
 * module runner) and `vite build` producing the standalone server with `nitrokit build`.
 * @module
 */
export { nitrokit, type NitrokitViteOptions } from "../cli/vite/plugin.js";
