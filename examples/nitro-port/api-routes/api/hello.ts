import { defineHandler } from "nitrokit";
import { useRuntimeConfig } from "nitrokit/runtime-config";

export default defineHandler(() => `${useRuntimeConfig().greeting}, API!`);
