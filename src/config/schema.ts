import { z } from "zod";
import type { NitroConfig } from "../types/app.js";
import { MIN_TOKEN_LENGTH } from "../tasks/endpoint-auth.js";
import { isTaskLock } from "../tasks/lock-config.js";
import { isTimeZone } from "../tasks/schedule.js";
import { openAPIConfigSchema } from "../openapi/config.js";
import { describeIgnoredKey, IGNORED_NITRO_EXPERIMENTAL_KEYS, IGNORED_NITRO_KEYS } from "./ignored-keys.js";

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", { message: "expected a function" });
const plainObject = z.record(z.string(), z.unknown());
/** A module path as Nitro takes them (`"./routes/x.ts"`), resolved against rootDir; its default export is the value. */
const modulePath = z.string().min(1, { message: "expected a module path such as './routes/hello.ts'" });
const fnOrPath = z.union([fn, modulePath], { message: "expected a function or a module path such as './plugins/db.ts'" });
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
/** What can serve requests as the server entry; checked in full when it is registered. */
const serverEntryValue = z.custom(
  (value) => (typeof value === "string" ? value.length > 0 : typeof value === "function" || (isObject(value) && (typeof value.fetch === "function" || typeof value.handler === "function"))),
  { message: "expected an h3 handler, an H3 or Hono app (an object with fetch()), a Node.js (req, res) app, or a module path" },
);
const storageMount = z.looseObject({ driver: z.string().min(1) });
const databaseConnection = z.object({ connector: z.string().min(1), options: plainObject.optional() });
const methodName = z
  .string()
  .regex(/^(get|head|patch|post|put|delete|connect|options|trace|query)$/i, { message: "expected an HTTP method such as 'get' or 'POST'" });

const timeZone = z.string().refine(isTimeZone, { error: (issue) => `unknown time zone '${issue.input}' (expected an IANA name such as 'Europe/Paris')` });
const taskNames = z.union([z.string(), z.array(z.string())], { message: "expected a task name or an array of task names" });
const scheduledTasksEntry = z.union([taskNames, z.object({ tasks: taskNames, timezone: timeZone.optional() })], {
  message: "expected a task name, an array of task names, or { tasks, timezone? }",
});
const taskLock = z.custom((value) => isTaskLock(value), { message: "expected an object with acquire() and release()" });
const redisTaskLock = z
  .object({ driver: z.literal("redis"), url: z.string().min(1).optional(), storage: z.string().min(1).optional(), prefix: z.string().optional() })
  .refine((lock) => (lock.url === undefined) !== (lock.storage === undefined), { message: "set either url or storage (a mount on the redis driver)" });
const scheduler = z.object({
  timezone: timeZone.optional(),
  lock: z.union([taskLock, redisTaskLock], { message: "expected { driver: 'redis', url | storage } or a TaskLock object" }).optional(),
  lockTtl: z.number().positive().optional(),
});
const tasksEndpoint = z
  .object({
    token: z.string().min(MIN_TOKEN_LENGTH, { message: `must be at least ${MIN_TOKEN_LENGTH} characters (use a random value)` }).optional(),
    authorize: fn.optional(),
    insecure: z.boolean().optional(),
  })
  .refine((endpoint) => endpoint.token !== undefined || endpoint.authorize !== undefined || endpoint.insecure === true, {
    message: "the tasks endpoint runs any task: set `token` and/or `authorize` (or `insecure: true` to serve it without a check)",
  });

/**
 * `true`, `false` or an options object. Unlike a union, an object with a bad option reports
 * that option's own path and message (`logging.logger: expected …`).
 */
function booleanOr(options: z.ZodObject, message: string) {
  const schema = z.custom<boolean | Record<string, unknown>>((value) => typeof value === "boolean" || (isObject(value) && !Array.isArray(value)), { message }).superRefine((value, ctx) => {
    if (typeof value === "boolean") return;
    const result = options.safeParse(value);
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  });
  // Its options' keys, so an unknown one warns like any nested key (`tracing.tracerProvder`).
  optionShapes.set(schema, options.shape as Record<string, z.ZodType>);
  return schema;
}
const optionShapes = new WeakMap<z.ZodType, Record<string, z.ZodType>>();

/** The shape of every key `createNitroApp()` reads; anything else is reported as unknown. */
const configSchema = z.object({
  dev: z.boolean(),
  rootDir: z.string().min(1),
  baseURL: z.string().startsWith("/", { message: "must start with '/'" }),
  runtimeConfig: plainObject,
  runtimeConfigSchema: z.custom((value) => !!value && typeof (value as { safeParse?: unknown }).safeParse === "function", {
    message: "expected a zod schema",
  }),
  envPrefix: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { message: "expected an upper-case prefix such as 'APP_'" }),
  routeRules: z.record(z.string(), plainObject),
  compress: z.union([z.boolean(), plainObject], { message: "expected true, false or { encodings?, threshold? }" }),
  storage: z.record(z.string(), storageMount),
  devStorage: z.record(z.string(), storageMount),
  serverAssets: z.array(z.object({ baseName: z.string().regex(/^[\w-]+$/, { message: "expected a name such as 'templates'" }), dir: z.string().min(1) })),
  database: z.record(z.string(), databaseConnection),
  devDatabase: z.record(z.string(), databaseConnection),
  scheduledTasks: z.record(z.string(), scheduledTasksEntry),
  scheduler,
  tasksEndpoint,
  websocket: z.object({
    maxMessageSize: z.number().int().positive().optional(),
    idleTimeout: z.number().nonnegative().optional(),
    allowedOrigins: z.union([z.literal("*"), z.array(z.url({ message: "expected an origin such as 'https://app.example.com'" }))]).optional(),
    pubsub: z
      .union([
        z.object({ driver: z.literal("redis"), url: z.string().min(1).optional(), channel: z.string().min(1).optional() }),
        fn,
      ], { message: "expected { driver: \"redis\", url?, channel? } or a crossws sync adapter" })
      .optional(),
  }),
  experimental: z.object({
    database: z.boolean().optional(),
    tasks: z.boolean().optional(),
    websocket: z.boolean().optional(),
    asyncContext: z.boolean().optional(),
    envExpansion: z.boolean().optional(),
    openAPI: z.boolean().optional(),
  }),
  errorHandler: z.union([fnOrPath, z.array(fnOrPath)], { message: "expected a function, a module path, or an array of them" }),
  handlers: z.array(
    z.object({
      route: z.string().startsWith("/", { message: "must start with '/'" }),
      method: methodName.optional(),
      handler: z.unknown().refine((value) => typeof value === "function" || (typeof value === "object" && value !== null) || (typeof value === "string" && value.length > 0), {
        message: "expected a handler function, a fetchable object, or a module path",
      }),
      lazy: z.boolean().optional(),
      middleware: z.boolean().optional(),
    }),
  ),
  middleware: z.array(fn),
  plugins: z.array(fnOrPath),
  serverEntry: z.union([z.literal(false), serverEntryValue, z.object({ handler: serverEntryValue, format: z.enum(["web", "node"]).optional() })], {
    message: "expected an h3 handler, an H3 or Hono app (an object with fetch()), a Node.js (req, res) app, a module path, { handler, format? } or false",
  }),
  maxRequestBodySize: z.number().int().positive(),
  openAPI: openAPIConfigSchema,
  tracing: booleanOr(
    z.object({
      api: z
        .custom((value) => isObject(value) && ["trace", "context", "propagation"].every((name) => isObject(value[name])), {
          message: "expected the @opentelemetry/api module (import * as api from \"@opentelemetry/api\")",
        })
        .optional(),
      tracerProvider: z.custom((value) => isObject(value) && typeof value.getTracer === "function", { message: "expected an OpenTelemetry TracerProvider (an object with getTracer())" }).optional(),
      middleware: z.boolean().optional(),
      storage: z.boolean().optional(),
    }),
    "expected true, false or { api?, tracerProvider?, middleware?, storage? }",
  ),
  logging: booleanOr(
    z.object({
      logger: z.custom((value) => isObject(value) && ["info", "warn", "error"].every((level) => typeof value[level] === "function"), { message: "expected a pino-compatible logger: an object with info(), warn() and error()" }).optional(),
      format: z.enum(["json", "pretty"]).optional(),
      requestIdHeader: z.string().regex(/^[a-z0-9-]+$/i, { message: "expected a header name such as 'x-request-id'" }).optional(),
    }),
    "expected true, false or { logger?, format?, requestIdHeader? }",
  ),
}).partial();

/**
 * Checks a config object before anything is built from it.
 * A value of the wrong type throws one error listing every bad key path;
 * keys nitrokit does not read (top-level, or inside an option object) produce one
 * warning, a line per key saying what to do instead, each key once per process.
 */
export function validateConfig(config: unknown, warn: (message: string) => void = console.warn): NitroConfig {
  if (config === undefined) return {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new TypeError("[nitrokit] createNitroApp(config): config must be an object.");
  }
  const result = configSchema.safeParse(config);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`);
    throw new TypeError(`[nitrokit] Invalid config:\n${lines.join("\n")}`);
  }
  warnIgnoredKeys(config as Record<string, unknown>, warn);
  // Return the caller's object, not zod's copy: handlers and plugins must keep their identity.
  return config as NitroConfig;
}

/** Keys already warned about in this process: a config passed to several apps warns once. */
const warnedKeys = new Set<string>();

function warnIgnoredKeys(config: Record<string, unknown>, warn: (message: string) => void): void {
  const lines: string[] = [];
  const report = (path: string, line: string) => {
    if (warnedKeys.has(path)) return;
    warnedKeys.add(path);
    lines.push(line);
  };
  const topLevel = Object.keys(configSchema.shape);
  for (const key of Object.keys(config)) {
    const field = (configSchema.shape as Record<string, z.ZodType>)[key];
    if (!field) {
      report(key, describeIgnoredKey(key, key, IGNORED_NITRO_KEYS, topLevel));
      continue;
    }
    // zod drops unknown keys of nested objects without a word; name them too.
    const shape = objectShape(field);
    const value = config[key];
    if (!shape || typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const nestedKnown = Object.keys(shape);
    const hints = key === "experimental" ? IGNORED_NITRO_EXPERIMENTAL_KEYS : {};
    for (const nested of Object.keys(value)) {
      if (nestedKnown.includes(nested)) continue;
      report(`${key}.${nested}`, describeIgnoredKey(`${key}.${nested}`, nested, hints, nestedKnown));
    }
  }
  if (lines.length > 0) warn(`[nitrokit] Config keys nitrokit does not read:\n${lines.map((line) => `  - ${line}`).join("\n")}`);
}

/** The shape of an object option, through `optional()` and unions with one object member. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const options = optionShapes.get(schema);
  if (options) return options;
  if (schema instanceof z.ZodOptional) return objectShape(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  if (schema instanceof z.ZodUnion) {
    const shapes = (schema.options as z.ZodType[]).map(objectShape).filter((shape) => shape !== undefined);
    return shapes.length === 1 ? shapes[0] : undefined;
  }
  return undefined;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return "config";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("");
}
