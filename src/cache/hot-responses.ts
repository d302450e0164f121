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
  readonly #entries = new Map<string, HotEntry>();
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

  /** The memory key for `event`, or `undefined` when this request must go through ocache. */
  async key(event: H3Event): Promise<string | undefined> {
    const { headers, method } = event.req;
    if (method !== "GET" || headers.has("range") || headers.has("if-none-match") || headers.has("if-modified-since")) return undefined;
    const options = this.#options;
    if (typeof options.allowQuery === "object") return undefined;
    if ((await options.shouldBypassCache?.(event)) || (await options.shouldInvalidateCache?.(event))) return undefined;
    if (options.getKey) return `k:${await options.getKey(event)}`;
    const url = event.url;
    let key = `u:${url.host}${url.pathname}${options.allowQuery === false ? "" : url.search}`;
    for (const name of options.varies ?? []) key += `\n${headers.get(name) ?? ""}`;
    return key;
  }

  /** A fresh copy of the remembered response for `key`, if there is one. */
  get(key: string): Response | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.until < Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return new FastResponse(entry.body as string, { ...entry.init, headers: { ...entry.init.headers } });
  }

  /** Remembers `response` under `key` when ocache served it as a stored, fresh hit. */
  remember(key: string, response: Response): void {
    const parts = this.#parts.get(response);
    if (parts?.status !== "HIT" || typeof parts.body !== "string") return;
    if (this.#entries.size >= HOT_MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { ...parts, until: Date.now() + HOT_TTL_MS });
  }

  clear(): void {
    this.#entries.clear();
  }
}
