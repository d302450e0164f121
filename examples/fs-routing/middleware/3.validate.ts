// middleware/3.validate.ts - Runs third
import { defineMiddleware } from "nitrokit/h3";

export default defineMiddleware((event) => {
  event.context.validated = true;
  const duration = Date.now() - event.context.startTime;
  console.log(`[${event.context.requestId}] Middleware chain: ${duration}ms`);
});
