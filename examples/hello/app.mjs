// The core issue's snippet, as a module: the app, its routes, middleware and plugin.
import { createNitroApp, definePlugin } from "nitrokit";
import { defineHandler, defineMiddleware, readBody, createError } from "nitrokit/h3";
import { useRuntimeConfig } from "nitrokit/runtime-config";

export const app = createNitroApp({ runtimeConfig: { apiSecret: "dev", public: { apiBase: "http://localhost:3000" } } });

app.use(defineMiddleware((event) => { event.context.requestId = crypto.randomUUID(); }));

app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));

app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params.id })));

app.post("/api/users", defineHandler(async (event) => {
  const body = await readBody(event);
  if (!body?.name) throw createError({ statusCode: 400, message: "Name and email are required" });
  return { success: true };
}));

// Safe to expose: public runtime config only, plus a check that the secret is set.
app.get("/api/config", defineHandler((event) => {
  const config = useRuntimeConfig(event);
  return { apiBase: config.public.apiBase, hasValidSecret: config.apiSecret?.length > 0 };
}));

app.get("/api/request-id", defineHandler((event) => ({ requestId: event.context.requestId })));

app.plugin(definePlugin((nitroApp) => {
  nitroApp.hooks.hook("request", (event) => { event.context.startTime = Date.now(); });
}));
