import { defineHandler } from "nitrokit";

// The server entry: answers every path no route under server/routes/ claims.
export default defineHandler((event) => ({
  path: event.url.pathname,
  user: event.context.user ?? null,
}));
