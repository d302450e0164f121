import { defineHandler } from "nitrokit/h3";
import { greeting } from "../../greeting.ts";

export default defineHandler(() => ({ message: greeting("Vite") }));
