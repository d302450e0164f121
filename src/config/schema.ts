import type { NitroConfig } from "../types/app.js";
import { MIN_TOKEN_LENGTH } from "../tasks/endpoint-auth.js";
import { isTaskLock } from "../tasks/lock-config.js";
import { isTimeZone } from "../tasks/time-zone.js";
import { openAPIConfigCheck } from "../openapi/config.js";
import { describeIgnoredKey, IGNORED_NITRO_EXPERIMENTAL_KEYS, IGNORED_NITRO_KEYS } from "./ignored-keys.js";
import {
  array,
  boolean,
  booleanOr,
  custom,
  formatPath,
  integer,
  isRecord,
  literal,
  nonEmptyString,
  nonNegative,
  number,
  object,
  oneOf,
  optionalKeys,
  positive,
  record,
  string,
  union,
  unknown,
} from "./check.js";

const fn = custom((value) => typeof value === "function", "expected a function");
const plainObject = record(unknown());
/** A module path as Nitro takes them (`"./routes/x.ts"`), resolved against rootDir; its default export is the value. */
const modulePath = nonEmptyString("expected a module path such as './routes/hello.ts'");
const fnOrPath = union([fn, modulePath], "expected a function or a module path such as './plugins/db.ts'");
const startsWithSlash = string().refine((value: string) => value.startsWith("/"), "must start with '/'");
/** What can serve requests as the server entry; checked in full when it is registered. */
const serverEntryValue = custom(
  (value) => (typeof value === "string" ? value.length > 0 : typeof value === "function" || (isRecord(value) && (typeof value.fetch === "function" || typeof value.handler === "function"))),
  "expected an h3 handler, an H3 or Hono app (an object with fetch()), a Node.js (req, res) app, or a module path",
);
const storageMount = object({ driver: nonEmptyString() });
const databaseConnection = object({ connector: nonEmptyString(), options: plainObject.optional() });
const methodName = string().refine(
  (value: string) => /^(get|head|patch|post|put|delete|connect|options|trace|query)$/i.test(value),
  "expected an HTTP method such as 'get' or 'POST'",
);

const timeZone = string().refine(isTimeZone, (value) => `unknown time zone '${String(value)}' (expected an IANA name such as 'Europe/Paris')`);
const taskNames = union([string(), array(string())], "expected a task name or an array of task names");
const scheduledTasksEntry = union([taskNames, object({ tasks: taskNames, timezone: timeZone.optional() })], "expected a task name, an array of task names, or { tasks, timezone? }");
const taskLock = custom((value) => isTaskLock(value), "expected an object with acquire() and release()");
const redisTaskLock = object({
  driver: literal("redis"),
  url: nonEmptyString().optional(),
  storage: nonEmptyString().optional(),
  prefix: string().optional(),
}).refine((lock: { url?: string; storage?: string }) => (lock.url === undefined) !== (lock.storage === undefined), "set either url or storage (a mount on the redis driver)");
const scheduler = object({
  timezone: timeZone.optional(),
  lock: union([taskLock, redisTaskLock], "expected { driver: 'redis', url | storage } or a TaskLock object").optional(),
  lockTtl: positive().optional(),
});
const tasksEndpoint = object({
  token: string().refine((value: string) => value.length >= MIN_TOKEN_LENGTH, `must be at least ${MIN_TOKEN_LENGTH} characters (use a random value)`).optional(),
  authorize: fn.optional(),
  insecure: boolean().optional(),
}).refine(
  (endpoint: { token?: string; authorize?: unknown; insecure?: boolean }) => endpoint.token !== undefined || endpoint.authorize !== undefined || endpoint.insecure === true,
  "the tasks endpoint runs any task: set `token` and/or `authorize` (or `insecure: true` to serve it without a check)",
);
const origin = string().refine((value: string) => URL.canParse(value), "expected an origin such as 'https://app.example.com'");

/** The shape of every key `createNitroApp()` reads; anything else is reported as unknown. */
const configCheck = object(
  optionalKeys({
    dev: boolean(),
    rootDir: nonEmptyString(),
    baseURL: startsWithSlash,
    runtimeConfig: plainObject,
    runtimeConfigSchema: custom((value) => !!value && typeof (value as { safeParse?: unknown }).safeParse === "function", "expected a zod schema"),
    envPrefix: string().refine((value: string) => /^[A-Z][A-Z0-9_]*$/.test(value), "expected an upper-case prefix such as 'APP_'"),
    routeRules: record(plainObject),
    compress: union([boolean(), plainObject], "expected true, false or { encodings?, threshold? }"),
    storage: record(storageMount),
    devStorage: record(storageMount),
    serverAssets: array(
      object({ baseName: string().refine((value: string) => /^[\w-]+$/.test(value), "expected a name such as 'templates'"), dir: nonEmptyString() }),
    ),
    database: record(databaseConnection),
    devDatabase: record(databaseConnection),
    scheduledTasks: record(scheduledTasksEntry),
    scheduler,
    tasksEndpoint,
    websocket: object({
      maxMessageSize: positive(integer()).optional(),
      idleTimeout: nonNegative(number()).optional(),
      allowedOrigins: union([literal("*"), array(origin)]).optional(),
      pubsub: union(
        [object({ driver: literal("redis"), url: nonEmptyString().optional(), channel: nonEmptyString().optional() }), fn],
        'expected { driver: "redis", url?, channel? } or a crossws sync adapter',
      ).optional(),
    }),
    experimental: object(
      optionalKeys({ database: boolean(), tasks: boolean(), websocket: boolean(), asyncContext: boolean(), envExpansion: boolean(), openAPI: boolean() }),
    ),
    errorHandler: union([fnOrPath, array(fnOrPath)], "expected a function, a module path, or an array of them"),
    handlers: array(
      object({
        route: startsWithSlash,
        method: methodName.optional(),
        handler: unknown().refine(
          (value: unknown) => typeof value === "function" || (typeof value === "object" && value !== null) || (typeof value === "string" && value.length > 0),
          "expected a handler function, a fetchable object, or a module path",
        ),
        lazy: boolean().optional(),
        middleware: boolean().optional(),
      }),
    ),
    middleware: array(fn),
    plugins: array(fnOrPath),
    serverEntry: union([literal(false), serverEntryValue, object({ handler: serverEntryValue, format: oneOf(["web", "node"]).optional() })],
      "expected an h3 handler, an H3 or Hono app (an object with fetch()), a Node.js (req, res) app, a module path, { handler, format? } or false",
    ),
    maxRequestBodySize: positive(integer()),
    openAPI: openAPIConfigCheck,
    tracing: booleanOr(
      object(
        optionalKeys({
          api: custom(
            (value) => isRecord(value) && ["trace", "context", "propagation"].every((name) => isRecord(value[name])),
            'expected the @opentelemetry/api module (import * as api from "@opentelemetry/api")',
          ),
          tracerProvider: custom((value) => isRecord(value) && typeof value.getTracer === "function", "expected an OpenTelemetry TracerProvider (an object with getTracer())"),
          middleware: boolean(),
          storage: boolean(),
        }),
      ),
      "expected true, false or { api?, tracerProvider?, middleware?, storage? }",
    ),
    logging: booleanOr(
      object(
        optionalKeys({
          logger: custom(
            (value) => isRecord(value) && ["info", "warn", "error"].every((level) => typeof value[level] === "function"),
            "expected a pino-compatible logger: an object with info(), warn() and error()",
          ),
          format: oneOf(["json", "pretty"]),
          requestIdHeader: string().refine((value: string) => /^[a-z0-9-]+$/i.test(value), "expected a header name such as 'x-request-id'"),
        }),
      ),
      "expected true, false or { logger?, format?, requestIdHeader? }",
    ),
  }),
);
const configShape = configCheck.shape!;

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
  const issues = configCheck.issues(config);
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`);
    throw new TypeError(`[nitrokit] Invalid config:\n${lines.join("\n")}`);
  }
  warnIgnoredKeys(config as Record<string, unknown>, warn);
  // The caller's object itself: handlers and plugins keep their identity.
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
  const topLevel = Object.keys(configShape);
  for (const key of Object.keys(config)) {
    const field = Object.hasOwn(configShape, key) ? configShape[key] : undefined;
    if (!field) {
      report(key, describeIgnoredKey(key, key, IGNORED_NITRO_KEYS, topLevel));
      continue;
    }
    // Unknown keys inside an option object would otherwise pass without a word; name them too.
    const shape = field.shape;
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
