import { defineHandler, getQuery, getRouterParam, HTTPError, readBody, type EventHandler, type H3Event } from "h3";
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
  list(): Promise<Record<string, { description: string }>>;
  scheduleInfo(): Promise<ScheduledTaskInfo[]>;
}

/** `GET /_nitro/tasks`: Nitro's shape, with the time zone and next run of each schedule line. */
export interface TasksListResponse {
  tasks: Record<string, { description: string }>;
  scheduledTasks: ScheduledTaskInfo[];
}

const JSON_HEADERS = { "content-type": "application/json;charset=UTF-8", "cache-control": "no-store" };

/**
 * Registers Nitro's task endpoints behind the configured authorisation:
 * - `GET /_nitro/tasks` → {@link TasksListResponse} (lazy task modules are imported for their description);
 * - `GET /_nitro/tasks/:name` → runs the task with the query as payload (a repeated key gives an array);
 * - `POST /_nitro/tasks/:name` → runs it with the query merged with the JSON body's `payload`
 *   object, or with the whole body when it has no `payload` key (body keys win, as Nitro).
 *
 * Both answer with what the task returned (always JSON; `null` for nothing). Unknown task 404,
 * a body or `payload` that is not a JSON object 400, a failing task 500 (its message and stack
 * only with `dev`).
 */
export function registerTasksEndpoint(host: TasksEndpointHost, tasks: TasksEndpointSource, config: NitroTasksEndpointConfig): void {
  const authorize = createTasksAuthorizer(config);
  host.get("/_nitro/tasks", defineHandler(async (event) => {
    await authorize(event);
    const body: TasksListResponse = { tasks: await tasks.list(), scheduledTasks: await tasks.scheduleInfo() };
    return new Response(JSON.stringify(body), { headers: JSON_HEADERS });
  }));
  const runFromRequest = defineHandler(async (event) => {
    await authorize(event);
    const name = getRouterParam(event, "name", { decode: true })!;
    const body = event.req.method === "GET" ? {} : await readPayloadBody(event);
    const payload = { ...getQuery(event), ...body };
    const result = await host.runTask(name, { payload, context: { waitUntil: (promise: Promise<unknown>) => event.waitUntil(promise) } });
    return new Response(JSON.stringify(result ?? null), { headers: JSON_HEADERS });
  });
  host.get("/_nitro/tasks/:name", runFromRequest);
  host.post("/_nitro/tasks/:name", runFromRequest);
}

/**
 * The payload a request body carries: its `payload` object when it has that key (how Nitro's
 * `nitro task run` sends it), else the body itself. Nothing → `{}`; anything but a JSON object → 400.
 */
async function readPayloadBody(event: H3Event): Promise<Record<string, unknown>> {
  const body: unknown = await readBody(event);
  if (body === undefined) return {};
  if (!isPlainObject(body)) throw new HTTPError({ status: 400, message: "The task payload must be a JSON object." });
  if (!Object.hasOwn(body, "payload")) return body;
  const payload = body.payload;
  if (payload === undefined || payload === null) return {};
  if (!isPlainObject(payload)) throw new HTTPError({ status: 400, message: "The body's `payload` must be a JSON object." });
  return payload;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
