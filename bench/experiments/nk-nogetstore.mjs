// Experiment: nitrokit-bare with nitrokit/node's serve(); AsyncLocalStorage#run stays on
// (async hooks installed) but #getStore is stubbed to return undefined: isolates the cost of
// the per-request getStore() in the request path from the cost of having ALS enabled at all.
import { AsyncLocalStorage } from "node:async_hooks";
AsyncLocalStorage.prototype.getStore = function getStore() {
  return undefined;
};
const { serve } = await import("../../dist/adapters/node.js");
const { app } = await import("./_nitrokit-app.mjs");
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1", silent: true });
