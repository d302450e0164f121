// node examples/chat/server.mjs, then open http://localhost:3000 in two tabs.
// With REDIS_URL set, run it twice on two ports: both share the chat room.
import { serve } from "nitrokit/node";
import { createChatApp } from "./app.mjs";

const app = createChatApp(process.env.REDIS_URL ? { websocket: { pubsub: { driver: "redis", url: process.env.REDIS_URL } } } : {});
await app.ready();
const server = serve(app, { port: process.env.PORT ?? 3000, hostname: process.env.HOST });
await server.ready();
