import { defineHandler } from "nitrokit/h3";

export default defineHandler(() => ({ report: "ok", generatedAt: new Date().toISOString() }));
