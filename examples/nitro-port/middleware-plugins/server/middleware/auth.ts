import { defineMiddleware, HTTPError } from "nitrokit";

export default defineMiddleware((event) => {
  const token = event.req.headers.get("authorization")?.replace(/^Bearer /, "");
  if (token === undefined) return;
  if (token !== "let-me-in") throw new HTTPError("Invalid token", { status: 401 });
  event.context.user = { name: "Ada" };
});
