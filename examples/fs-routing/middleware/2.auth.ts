// middleware/2.auth.ts - Runs second
import { defineMiddleware } from "nitrokit/h3";

export default defineMiddleware((event) => {
  event.context.user = { id: 123, role: "admin" };
});
