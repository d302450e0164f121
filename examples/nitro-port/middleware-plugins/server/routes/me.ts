import { defineHandler, HTTPError } from "nitrokit";

export default defineHandler((event) => {
  if (!event.context.user) throw new HTTPError("Sign in first", { status: 401 });
  return event.context.user;
});
