import { defineConfig } from "vite";
import { nitrokit } from "nitrokit/vite";

// `vite` serves the page and the app on one port; `vite build` writes .output/ (the page included).
export default defineConfig({
  plugins: [nitrokit({ entry: "./server/app.ts" })],
});
