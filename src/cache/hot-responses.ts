import { FastResponse } from "srvx";
import type { H3Event } from "h3";

/** ocache's status header, requested internally to learn which responses are stored hits. */
export const INTERNAL_STATUS_HEADER = "x-nitrokit-cache-internal";

/** How long a hit is answered from process memory before the shared cache is read again. */
const HOT_TTL_MS = 1000;
const HOT_MAX_ENTRIES = 1000;

/** What ocache hands `createResponse`: text, bytes, a stream (streaming fills) or nothing (304). */
type StoredBody = string | Uint8Array | ReadableStream<Uint8Array> | null;

interface ResponseParts {
  body: StoredBody;
  init: ResponseInit & { headers: Record<string, string> };
  status: string | undefined;
}

interface HotEntry extends ResponseParts {
  until: number;
  generation: number;
}

export interface HotKeyOptions {
  getKey?: (event: H3Event) => string | Promise<string>;
  varies?: readonly string[];
  allowQuery?: boolean | readonly string[];
  shouldBypassCache?: (event: H3Event) => boolean | Promise<boolean>;
  shouldInvalidateCache?: (event: H3Event) => boolean | Promise<boolean>;
}

/**
 * A cache hit goes through ocache's full read (key hashing, a storage round trip,
 * entry parsing and validation): several times the cost of a trivial handler. This
 * keeps each stored response that ocache answered as a fresh HIT in process memory
 * for at most a second, so repeated hits skip all of it. The shared storage stays the
 * source of truth: another instance's invalidation is seen within that second, and
 * `invalidate()`/`expire()` here clear the memory at once. Conditional, ranged, HEAD
 * and bypassed requests always go through ocache.
 */
export class HotResponses {
  /** One memory per app (h3 instance): apps in one process may use different storages. */
  readonly #byApp = new WeakMap<object, Map<string, HotEntry>>();
  /** Bumped by `clear()`, which must reach every app's memory at once. */
  #generation = 0;
  readonly #parts = new WeakMap<Response, ResponseParts>();
  readonly #options: HotKeyOptions;
  readonly #statusHeader: string | undefined;

  constructor(options: HotKeyOptions, statusHeader: string | undefined) {
    this.#options = options;
    this.#statusHeader = statusHeader;
  }

  /** ocache's `createResponse`: builds the response and remembers its parts and cache status. */
  readonly create = (body: StoredBody, init: ResponseInit): Response => {
    const headers: Record<string, string> = {};
    for (const [name, value] of new Headers(init.headers)) headers[name] = value;
    const status = headers[INTERNAL_STATUS_HEADER];
    delete headers[INTERNAL_STATUS_HEADER];
    if (status && this.#statusHeader) headers[this.#statusHeader] = status;
    const cleanInit = { status: init.status, statusText: init.statusText, headers };
    const response = new FastResponse(body as BodyInit | null, cleanInit);
    this.#parts.set(response, { body, init: cleanInit, status });
    return response;
  };

  /**
   * The memory key for `event`, or `undefined` when this request must go through ocache.
   * Synchronous unless one of the user's hooks answers with a promise.
   */
  key(event: H3Event): string | undefined | Promise<string | undefined> {
    const { headers, method } = event.req;
    if (method !== "GET" || headers.has("range") || headers.has("if-none-match") || headers.has("if-modified-since")) return undefined;
    const options = this.#options;
    if (typeof options.allowQuery === "object") return undefined;
    const bypass = options.shouldBypassCache?.(event);
    const invalidate = options.shouldInvalidateCache?.(event);
    if (isThenable(bypass) || isThenable(invalidate)) {
      return Promise.all([bypass, invalidate]).then(([b, i]) => (b || i ? undefined : this.#keyOf(event)));
    }
    return bypass || invalidate ? undefined : this.#keyOf(event);
  }

  #keyOf(event: H3Event): string | Promise<string> {
    const options = this.#options;
    if (options.getKey) {
      const custom = options.getKey(event);
      return isThenable(custom) ? custom.then((key) => `k:${key}`) : `k:${custom}`;
    }
    // The Host header, not url.host: the latter makes srvx parse the whole URL on every hit.
    const url = event.url;
    let key = `u:${event.req.headers.get("host") ?? url.host}${url.pathname}${options.allowQuery === false ? "" : url.search}`;
    for (const name of options.varies ?? []) key += `\n${event.req.headers.get(name) ?? ""}`;
    return key;
  }

  /** A fresh copy of the remembered response for `key`, if there is one. */
  get(event: H3Event, key: string): Response | undefined {
    const entries = event.app && this.#byApp.get(event.app);
    const entry = entries?.get(key);
    if (!entry) return undefined;
    if (entry.until < Date.now() || entry.generation !== this.#generation) {
      entries!.delete(key);
      return undefined;
    }
    return new FastResponse(entry.body as string, { ...entry.init, headers: { ...entry.init.headers } });
  }

  /** How ocache served `response`: `HIT`, `MISS`, `STALE`, `REVALIDATED`; `undefined` when it did not (a bypass, or this memory). */
  statusOf(response: Response): string | undefined {
    return this.#parts.get(response)?.status;
  }

  /** Remembers `response` under `key` when ocache served it as a stored, fresh hit. */
  remember(event: H3Event, key: string, response: Response): void {
    const parts = this.#parts.get(response);
    if (parts?.status !== "HIT" || typeof parts.body !== "string" || !event.app) return;
    let entries = this.#byApp.get(event.app);
    if (!entries) this.#byApp.set(event.app, (entries = new Map()));
    if (entries.size >= HOT_MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(key, { ...parts, until: Date.now() + HOT_TTL_MS, generation: this.#generation });
  }

  /** Forgets every remembered response, in every app. */
  clear(): void {
    this.#generation++;
  }
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === "function";
}
