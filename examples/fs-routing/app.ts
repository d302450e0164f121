// The fs-routing example's app: the files beside this one, registered by Nitro's conventions.
import { createNitroApp, type NitroConfig } from "nitrokit";
import { registerRoutes } from "nitrokit/routing";
import { globModules } from "nitrokit/routing/node";

export function createFsRoutingApp(config: NitroConfig = {}) {
  const app = createNitroApp({ experimental: { tasks: true, websocket: true }, ...config });
  // Lists routes/, middleware/, plugins/, tasks/ below this folder; each file is imported on first use.
  const registered = registerRoutes(app, globModules(new URL(".", import.meta.url)));
  return { app, registered };
}
