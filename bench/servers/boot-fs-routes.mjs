// For bench/boot.mjs: a nitrokit app whose routes are the files below argv[2] (Nitro's folders),
// registered lazily with nitrokit/routing from the built package, served on a free port.
// Prints "LISTENING <port>" and the CPU time (ms, this process) at the end of each start-up phase.
import { createNitroApp } from "../../dist/index.js";
import { registerRoutes } from "../../dist/routing/index.js";
import { globModules } from "../../dist/adapters/routing-node.js";
import { serve } from "../../dist/adapters/node.js";

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1000).toFixed(1);
};
const imported = cpu();
const app = createNitroApp();
const modules = globModules(process.argv[2]);
const globbed = cpu();
const { routes } = registerRoutes(app, modules);
const registered = cpu();
const server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true });
await server.ready();
const port = new URL(server.url).port;
console.log(`LISTENING ${port} routes=${routes.length} imported=${imported} globbed=${globbed} registered=${registered} listening=${cpu()}`);
