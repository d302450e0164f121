import { defineConfig } from "nitrokit";

export default defineConfig({
  serverDir: "./",
  features: { websocket: true },
  experimental: { tasks: true },
  routeRules: {
    "/hono/**": { headers: { "x-served-by": "hono" } },
  },
});
