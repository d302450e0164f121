/**
 * `nitrokit/cache`: cached functions and handlers on the app's storage, as `nitro/cache`.
 * ocache does the caching (stampede protection, SWR, conditional requests); this
 * module gives it Nitro's option names and defaults and the app's storage.
 * @module
 */
import type { CacheEntry, CachedEventHandler, CachedEventHandlerOptions } from "ocache";
import { toResponse, type EventHandler, type EventHandlerRequest, type H3Event } from "h3";
import { HotResponses, INTERNAL_STATUS_HEADER } from "./hot-responses.js";
import { toOcacheOptions, type NitroCacheOptions } from "./options.js";
import { instrumentation, type Instrumentation, type TraceAttributes } from "../app/instrumentation.js";

export type { NitroCacheOptions } from "./options.js";

/**
 * Nitro 3's key groups. With the same ocache (which escapes a group to a colon-free
 * segment), the same `name` and key give the very storage key a Nitro deployment writes,
 * so a shared cache mount and Nitro's invalidation code (`invalidateCache({ options:
 * { group: "nitro/functions", … } })`) address the same entries.
 */
const NITRO_FUNCTIONS_GROUP = "nitro/functions";
const NITRO_HANDLERS_GROUP = "nitro/handlers";
export type { CacheEntry } from "ocache";

type Ocache = typeof import("ocache");
let ocache: Ocache | undefined;
let loadingOcache: Promise<Ocache> | undefined;

/**
 * ocache, imported on the first call of a cached function or handler rather than at
 * start-up: defining one (often at module top level, or by a `cache` route rule) costs no import.
 */
function loadOcache(): Promise<Ocache> {
  return (loadingOcache ??= import("ocache").then((module) => (ocache = module)));
}

/**
 * Builds `create(ocache)` once, on first use: synchronously when ocache is already loaded,
 * else after importing it. Concurrent first calls share the one instance (and so its
 * stampede protection).
 */
function onFirstUse<T>(create: (module: Ocache) => T): () => T | Promise<T> {
  let instance: T | undefined;
  return () => {
    if (instance !== undefined) return instance;
    if (ocache) return (instance = create(ocache));
    return loadOcache().then((module) => (instance ??= create(module)));
  };
}


/** A cached function, plus cache management for a given set of arguments. */
export type CachedFunction<T, ArgsT extends unknown[]> = ((...args: ArgsT) => Promise<T>) & {
  /** Removes the entry for these arguments. */
  invalidate(...args: ArgsT): Promise<void>;
  /** Marks the entry for these arguments stale (served stale once with `swr`, then refreshed). */
  expire(...args: ArgsT): Promise<void>;
  /** The storage keys the entry for these arguments lives under. */
  resolveKeys(...args: ArgsT): Promise<string[]>;
};

/**
 * Caches a function's results in the app's storage (the `cache` mount unless `base`
 * says otherwise). Concurrent calls for a missing or expired key run the function
 * once; with `swr` a stale value is returned at once and refreshed once in the background.
 *
 * @example
 * const getRepoStars = defineCachedFunction(async (repo: string) => fetchStars(repo), {
 *   maxAge: 60 * 60, name: "ghRepoStats", getKey: (repo: string) => repo,
 * });
 */
export function defineCachedFunction<T, ArgsT extends unknown[] = unknown[]>(
  fn: (...args: ArgsT) => T | Promise<T>,
  options: NitroCacheOptions<T, ArgsT> = {},
): CachedFunction<T, ArgsT> {
  const observed = { ...options, transform: reportStatus(options.transform) };
  const cacheOptions = toOcacheOptions(observed, { group: NITRO_FUNCTIONS_GROUP, name: fn.name || undefined });
  const instance = onFirstUse((module) => module.defineCachedFunction(fn, cacheOptions) as CachedFunction<T, ArgsT>);
  const withInstance = <R>(use: (cached: CachedFunction<T, ArgsT>) => Promise<R>): Promise<R> => {
    const cached = instance();
    return cached instanceof Promise ? cached.then(use) : use(cached);
  };
  const name = options.name || fn.name || "<anonymous>";
  const call = (args: ArgsT) => withInstance((cached) => cached(...args));
  const cachedFunction = ((...args: ArgsT) => {
    const spans = instrumentation();
    return spans ? spans.span(`cache ${name}`, cacheAttributes(name, "function"), () => call(args)) : call(args);
  }) as CachedFunction<T, ArgsT>;
  cachedFunction.invalidate = (...args) => withInstance((cached) => cached.invalidate(...args));
  cachedFunction.expire = (...args) => withInstance((cached) => cached.expire(...args));
  cachedFunction.resolveKeys = (...args) => withInstance((cached) => cached.resolveKeys(...args));
  return cachedFunction;
}

function cacheAttributes(name: string, kind: "function" | "handler"): TraceAttributes {
  return { "nitrokit.cache.name": name, "nitrokit.cache.kind": kind };
}

/**
 * The user's `transform` (or none), seeing first how ocache served the entry, for the cache
 * span: ocache passes it the entry with its status. Not a wrapper of the function itself:
 * ocache hashes the function's source into the entry's integrity, and must keep hashing the user's.
 */
function reportStatus<T, A extends unknown[]>(transform: ((entry: CacheEntry<T>, ...args: A) => unknown) | undefined) {
  return (entry: CacheEntry<T>, ...args: A): unknown => {
    const spans = instrumentation();
    if (spans) annotateStatus(spans, (entry as { status?: string }).status);
    return transform?.(entry, ...args);
  };
}

/** `cache.hit` (a hit or a stale value served), `nitrokit.cache.status` (`hit`, `miss`, `stale`, `revalidated`), `nitrokit.cache.stale`. */
function annotateStatus(spans: Instrumentation, status: string | undefined): void {
  if (!status) return;
  const normalized = status.toLowerCase();
  spans.annotate("cache.hit", normalized === "hit" || normalized === "stale");
  spans.annotate("nitrokit.cache.status", normalized);
  spans.annotate("nitrokit.cache.stale", normalized === "stale");
}

/** Nitro's cached handler options: the cache options plus HTTP ones. */
export interface NitroCachedHandlerOptions extends NitroCacheOptions<Response, [H3Event]> {
  /** Request headers that vary the key (and reach the handler). */
  varies?: string[];
  /** Only answer conditional requests (304) from the handler's own validators; store nothing. */
  headersOnly?: boolean;
  /**
   * Query parameters that reach the handler and vary the key. Default `true`: the whole
   * query string, as in Nitro. `false` or a list of names narrows it.
   */
  allowQuery?: boolean | string[];
  /** Name of a response header saying HIT/MISS/STALE, or `false`. Default `false`. */
  cacheStatusHeader?: boolean | string;
}

/**
 * Caches a handler's responses. GET and HEAD only; only cacheable statuses (200, 203,
 * 301, 308) are stored; `ETag`/`Last-Modified` are set and conditional requests get 304;
 * `Cache-Control` follows `maxAge`/`swr`. Responses with `Set-Cookie` are never stored
 * or replayed, and `Authorization`/cookies never reach the handler unless listed in `varies`.
 *
 * @example
 * export default defineCachedHandler(async () => ({ computed: await expensive() }), {
 *   maxAge: 60 * 60, swr: true, name: "expensive-operation", getKey: (event) => event.url.pathname,
 * });
 */
export function defineCachedHandler(handler: EventHandler, options: NitroCachedHandlerOptions = {}): CachedHandler {
  const cacheOptions = toOcacheOptions(options, { group: NITRO_HANDLERS_GROUP, name: handler.name || undefined });
  const statusHeader = options.cacheStatusHeader === true ? "x-cache" : options.cacheStatusHeader || undefined;
  const hot = new HotResponses(options, statusHeader);
  const httpOptions: CachedEventHandlerOptions<H3Event> = {
    ...(cacheOptions as CachedEventHandlerOptions<H3Event>),
    varies: options.varies,
    headersOnly: options.headersOnly,
    allowQuery: options.allowQuery ?? true,
    cacheStatusHeader: INTERNAL_STATUS_HEADER,
    // Handlers return what h3 handlers return (objects, strings, Responses): h3 turns it into a Response.
    // Stamped with Last-Modified when it is produced, so hits replay when the entry was made.
    toResponse: async (value, event) => withLastModified(await toResponse(value, event)),
    // srvx's FastResponse (what h3 answers with) writes a string body straight to the socket on
    // Node; a plain Response would be turned into a stream first, several times slower per hit.
    createResponse: hot.create,
  };
  const instance = onFirstUse((module) => module.defineCachedHandler<H3Event>(handler as (event: H3Event) => unknown, httpOptions));
  type OcacheHandler = CachedEventHandler<H3Event>;
  const withInstance = <R>(use: (cached: OcacheHandler) => R | Promise<R>): R | Promise<R> => {
    const cached = instance();
    return cached instanceof Promise ? cached.then(use) : use(cached);
  };
  const fill = (event: H3Event) => withInstance((cached) => cached(event) as Promise<Response>);
  const spanName = `cache ${options.name || handler.name || "<anonymous>"}`;
  /** `fromMemory` is told when the answer is the in-memory copy (tracing's cache span wants to know). */
  const answer = (event: H3Event, key: string | undefined, fromMemory?: () => void): Response | Promise<Response> => {
    if (key === undefined) return fill(event);
    // A hit remembered in memory is answered without ocache (or its import).
    const remembered = hot.get(event, key);
    if (remembered) {
      fromMemory?.();
      return remembered;
    }
    return Promise.resolve(fill(event)).then((response) => {
      hot.remember(event, key, response);
      return response;
    });
  };
  const serve = (event: H3Event, fromMemory?: () => void) => {
    if (options.headersOnly) return fill(event);
    const key = hot.key(event);
    return typeof key === "object" ? key.then((resolved) => answer(event, resolved, fromMemory)) : answer(event, key, fromMemory);
  };
  const cachedHandler = ((event: H3Event) => {
    const spans = instrumentation();
    if (!spans) return serve(event);
    return spans.span(spanName, cacheAttributes(spanName.slice(6), "handler"), async () => {
      let memory = false;
      const response = (await serve(event, () => (memory = true))) as Response;
      annotateStatus(spans, memory ? "hit" : hot.statusOf(response));
      return response;
    });
  }) as CachedHandler;
  cachedHandler.invalidate = (event) => (hot.clear(), Promise.resolve(withInstance((cached) => cached.invalidate(event))));
  cachedHandler.expire = (event) => (hot.clear(), Promise.resolve(withInstance((cached) => cached.expire(event))));
  cachedHandler.resolveKeys = (event) => Promise.resolve(withInstance((cached) => cached.resolveKeys(event)));
  return cachedHandler;
}

/** A cached handler, plus cache management for the resource an event addresses. */
export type CachedHandler = EventHandler<EventHandlerRequest, Promise<Response>> & {
  /** Removes the stored responses (GET and HEAD) for the event's resource. */
  invalidate(event: H3Event): Promise<void>;
  /** Marks them stale. */
  expire(event: H3Event): Promise<void>;
  /** The storage keys they live under. */
  resolveKeys(event: H3Event): Promise<string[]>;
};

function withLastModified(response: Response): Response {
  if (response.headers.has("last-modified")) return response;
  try {
    response.headers.set("last-modified", new Date().toUTCString());
    return response;
  } catch {
    // Immutable headers (a Response from fetch()): copy it.
    const copy = new Response(response.body, response);
    copy.headers.set("last-modified", new Date().toUTCString());
    return copy;
  }
}

/** Nitro 2's name for {@link defineCachedHandler}. */
export const defineCachedEventHandler = defineCachedHandler;
/** Alias of {@link defineCachedFunction}. */
export const cachedFunction = defineCachedFunction;
