import { DEFAULT_ENTRIES } from "./entry.js";

/** The optional `[entry]` positional every command takes. */
export const entryArg = {
  entry: {
    type: "positional",
    required: false,
    description: `Module that exports the app (default: the first of ${DEFAULT_ENTRIES.slice(0, 4).join(", ")}, … server.*, src/app.*, src/server.*)`,
  },
} as const;

/** `--port` and `--host`. */
export const listenArgs = {
  port: { type: "string", alias: "p", description: "Port to listen on (default: PORT, else 3000; 0 picks a free port)" },
  host: { type: "string", description: "Interface to bind (default: HOST, else every interface; `dev`: localhost)" },
} as const;
