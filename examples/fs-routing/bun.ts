// The same tree on Bun, with no bundler: Bun runs the TypeScript itself, and `Bun.Glob`
// builds the map `import.meta.glob` would (file → lazy import), which `registerRoutes` takes.
//   bun examples/fs-routing/bun.ts        (PORT/HOST as on Node)
import { createNitroApp } from "nitrokit";
import { registerRoutes, type GlobModules } from "nitrokit/routing";
import { serve } from "nitrokit/bun";

declare const Bun: { Glob: new (pattern: string) => { scan(dir: string): AsyncIterable<string> } };

const modules: GlobModules = {};
for await (const file of new Bun.Glob("{routes,middleware,plugins,tasks}/**/*.ts").scan(import.meta.dir)) {
  modules[`./${file}`] = () => import(`./${file}`);
}

const app = createNitroApp({ experimental: { tasks: true, websocket: true } });
const registered = registerRoutes(app, modules);
await app.ready();
serve(app, { port: Number(process.env.PORT ?? 3000), hostname: process.env.HOST });
console.log(`${registered.routes.length} routes, ${registered.middleware.length} middleware, ${registered.tasks.length} task(s) on Bun`);
