import { defineHandler } from "nitrokit";

export default defineHandler((event) => ({ greeting: `Hello ${event.context.params!.name}!` }));
