// middleware/1.logger.ts - Runs first
import { defineMiddleware } from "nitrokit/h3";

export default defineMiddleware((event) => {
  event.context.requestId = crypto.randomUUID();
  event.context.startTime = Date.now();
  console.log(`[${event.context.requestId}] Request started`);
});
