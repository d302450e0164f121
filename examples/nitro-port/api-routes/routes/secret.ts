import { defineHandler } from "nitrokit";
import { useRuntimeConfig } from "nitrokit/runtime-config";

// NITRO_API_KEY (the .env file under `nitrokit dev`, the environment in production) overrides apiKey.
export default defineHandler(() => ({ configured: useRuntimeConfig().apiKey !== "" }));
