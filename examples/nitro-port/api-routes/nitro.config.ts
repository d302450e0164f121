import { defineConfig } from "nitrokit";

export default defineConfig({
  serverDir: "./",
  runtimeConfig: {
    greeting: "Hello",
    apiKey: "",
  },
});
