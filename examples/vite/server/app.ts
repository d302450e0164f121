/// <reference types="vite/client" />
// The app: every file under routes/ registered by Nitro's conventions. Vite's `import.meta.glob`
// lists them (lazily), in `vite` and in the server `vite build` bundles alike.
import { createNitroApp } from "nitrokit";
import { registerRoutes } from "nitrokit/routing";

export default ({ dev }: { dev: boolean }) => {
  const app = createNitroApp({ dev, experimental: { websocket: true } });
  registerRoutes(app, import.meta.glob("./routes/**/*.ts"));
  return app;
};
