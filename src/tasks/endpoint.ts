import { defineHandler, getRouterParam, HTTPError, readBody, type EventHandler } from "h3";
import type { NitroTasksEndpointConfig } from "./config-types.js";
import { createTasksAuthorizer } from "./endpoint-auth.js";
import type { ScheduledTaskInfo } from "./scheduler.js";
import type { RunTaskOptions } from "./types.js";

/** What the endpoints need from the app: its routes (under `baseURL`) and runner. */
export interface TasksEndpointHost {
  get(path: string, handler: EventHandler): unknown;
  post(path: string, handler: EventHandler): unknown;
  runTask(name: string, options: RunTaskOptions): Promise<unknown>;
}

/** What the endpoints read from the task registry. */
export interface TasksEndpointSource {
  list(): Record<string, { description: string }>;
  scheduleInfo(): ScheduledTaskInfo[];
}

/** `GET /_nitro/tasks`: Nitro's shape, with the time zone and next run of each schedule line. */
export interface TasksListResponse {
  tasks: Record<string, { description: string }>;
  scheduledTasks: ScheduledTaskInfo[];
}

const JSON_HEADERS = { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store" };

/**
 * Registers Nitro's task endpoints behind the configured authorisation:
 * - `GET /_nitro/tasks` → {@link TasksListResponse};
 * - `POST /_nitro/tasks/:name` → runs the task with the query merged with the JSON
 *   body (body keys win, as Nitro) as payload and answers with what the task returned
 *   (always JSON; `null` for nothing). Unknown task 404, a body that is not a JSON
 *   object 400, a failing task 500 (its message and stack only with `dev`).
 */
export function registerTasksEndpoint(host: TasksEndpointHost, tasks: TasksEndpointSource, config: NitroTasksEndpointConfig): void {
  const authorize = createTasksAuthorizer(config);
  host.get("/_nitro/tasks", defineHandler(async (event) => {
    await authorize(event);
    const body: TasksListResponse = { tasks: tasks.list(), scheduledTasks: tasks.scheduleInfo() };
    return new Response(JSON.stringify(body), { headers: JSON_HEADERS });
  }));
  host.post("/_nitro/tasks/:name", defineHandler(async (event) => {
    await authorize(event);
    const name = getRouterParam(event, "name", { decode: true })!;
    const payload = { ...Object.fromEntries(event.url.searchParams), ...(await readPayloadBody(event)) };
    const result = await host.runTask(name, { payload });
    return new Response(JSON.stringify(result ?? null), { headers: JSON_HEADERS });
  }));
}

/** The request body as a payload object: nothing → `{}`, anything but a JSON object → 400. */
async function readPayloadBody(event: Parameters<typeof readBody>[0]): Promise<Record<string, unknown>> {
  const body: unknown = await readBody(event);
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HTTPError({ status: 400, message: "The task payload must be a JSON object." });
  }
  return body as Record<string, unknown>;
}
