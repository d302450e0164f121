// Registration: what Nitro finds by scanning, listed in code. Everything else in this folder is Nitro code.
import { fileURLToPath } from "node:url";
import { createNitroApp } from "nitrokit";
import { registerRoutes } from "nitrokit/routing";
import { globModules } from "nitrokit/routing/node";
import config from "./nitro.config.ts";

const app = createNitroApp({ ...config, rootDir: fileURLToPath(new URL(".", import.meta.url)) });
registerRoutes(app, globModules(new URL(".", import.meta.url)));

export default app;
