// node examples/tasks/server.mjs: the tasks example on PORT/HOST (default 3000).
// NITRO_TASKS_TOKEN sets the endpoint's token (a random one is printed otherwise);
// REDIS_URL shares the schedule between instances.
import { serve } from "nitrokit/node";
import { createTasksApp } from "./app.mjs";

const token = process.env.NITRO_TASKS_TOKEN ?? crypto.randomUUID().replaceAll("-", "");
const app = createTasksApp({ token, redisUrl: process.env.REDIS_URL });
await app.ready();
const server = serve(app, { port: process.env.PORT ?? 3000, hostname: process.env.HOST });
await server.ready();
console.log(`Try:
  curl -H "Authorization: Bearer ${token}" ${server.url}_nitro/tasks
  curl -X POST -H "Authorization: Bearer ${token}" -H "content-type: application/json" -d '{"triggeredBy":"curl"}' ${server.url}_nitro/tasks/db:migrate
  curl -X POST -H "x-admin: yes" ${server.url}api/admin/migrate`);
