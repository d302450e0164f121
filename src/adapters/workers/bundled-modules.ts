import memoryDriver from "unstorage/drivers/memory";
import lruCacheDriver from "unstorage/drivers/lru-cache";
import kvBindingDriver from "unstorage/drivers/cloudflare-kv-binding";
import r2BindingDriver from "unstorage/drivers/cloudflare-r2-binding";
import d1Connector from "db0/connectors/cloudflare-d1";
import { registerBundledDriver } from "../../storage/drivers.js";
import { registerBundledConnector } from "../../database/connectors.js";

/**
 * A worker is one bundle with no module loader at run time, so the drivers that
 * config can name on Workers are imported here, where a bundler sees them: memory and
 * lru-cache (the defaults), KV and R2 bindings, and D1 (the default `sqlite`).
 * Any other driver: mount an instance in a plugin (`app.storage.mount(…)`).
 */
export function registerWorkerModules(): void {
  registerBundledDriver("memory", memoryDriver as never);
  registerBundledDriver("lru-cache", lruCacheDriver as never);
  registerBundledDriver("cloudflare-kv-binding", kvBindingDriver as never);
  registerBundledDriver("cloudflare-r2-binding", r2BindingDriver as never);
  registerBundledConnector("cloudflare-d1", d1Connector as never);
}
