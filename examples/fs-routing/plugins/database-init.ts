// plugins/database-init.ts
import { definePlugin } from "nitrokit";

export default definePlugin(async (nitroApp) => {
  console.log("Initializing database connections...");

  // Hook into request lifecycle
  nitroApp.hooks.hook("request", (event) => {
    console.log(`Request: ${event.method} ${event.path}`);
  });

  // Hook into response lifecycle (Nitro 3's arguments: the Response, then the event)
  nitroApp.hooks.hook("response", (res, event) => {
    const duration = Date.now() - (event.context.startTime || 0);
    console.log(`Response: ${event.path} (${duration}ms)`);
  });

  // Hook into error handling
  nitroApp.hooks.hook("error", (error, { event }) => {
    console.error(`Error on ${event?.path}:`, error.message);

    // Send to error tracking service
    // sendToErrorTracking(error, event);
  });

  // Graceful shutdown
  nitroApp.hooks.hook("close", async () => {
    console.log("Closing database connections...");
    // await db.close();
  });
});
