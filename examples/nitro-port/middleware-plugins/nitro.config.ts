import { defineConfig } from "nitrokit";

export default defineConfig({
  serverDir: true,
  errorHandler: "./error.ts",
});
