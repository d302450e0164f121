// Experiment helper: makes AsyncLocalStorage#run a plain call, so no ALS is ever entered
// and Node never installs its async hooks / promise hooks. Import it BEFORE nitrokit.
// (useNitroApp()/useEvent() then only work through their fallbacks: for measurement only.)
import { AsyncLocalStorage } from "node:async_hooks";
AsyncLocalStorage.prototype.run = function run(_store, fn, ...args) {
  return fn(...args);
};
