import { importOptional } from "../platform/optional-import.js";
import { forwardMember } from "../input/request-proxy.js";

/**
 * A Node.js-style request handler: an Express or Connect app, Fastify's `routing`
 * (after `await fastify.ready()`), or any `(req, res)` / `(req, res, next)` function.
 * The parameters are typed `never` so every such function fits without `node:http` types.
 *
 * @example
 * const fastify = Fastify();
 * fastify.post("/echo", async (req) => req.body);
 * await fastify.ready();
 * app.mount("/fastify", fastify.routing);
 */
export type NodeStyleApp = (req: never, res: never, next: never) => unknown;

type NodeNext = (error?: unknown) => void;
type NodeHandler = (req: unknown, res: unknown, next?: NodeNext) => unknown;
type SrvxNode = typeof import("srvx/node");

/**
 * Whether a function is a Node handler rather than a fetch handler (`mount`) or an h3
 * handler (`serverEntry`). It is when it carries Express/Connect's `handle` and `use`,
 * is Fastify's `routing`, or declares three parameters (`(req, res, next)`). Two
 * parameters mean `(req, res)` only where a one-parameter function is expected
 * (`mount`'s fetch handlers): an h3 handler may be written `(event, next)`.
 * A function srvx's `toFetchHandler` already converted is a fetch handler.
 */
export function isNodeStyleApp(value: unknown, options: { twoParameters: boolean }): value is NodeStyleApp {
  if (typeof value !== "function") return false;
  const fn = value as Function & { __nodeHandler?: unknown; handle?: unknown; use?: unknown };
  if (fn.__nodeHandler) return false;
  if (typeof fn.handle === "function" && typeof fn.use === "function") return true;
  // Fastify's `routing` is its `preRouting(req, res)`.
  return fn.length >= 3 || (fn.length === 2 && (options.twoParameters || fn.name === "preRouting"));
}

/** A Fastify instance (rather than its `routing` handler). */
function isFastifyInstance(value: object): boolean {
  const candidate = value as { routing?: unknown; ready?: unknown; register?: unknown };
  return typeof candidate.routing === "function" && typeof candidate.ready === "function" && typeof candidate.register === "function";
}

/**
 * Why `value` cannot serve requests, as the end of a sentence starting with what was
 * being registered; the shapes that can, listed with the wrapper for the rest.
 */
export function unservableReason(value: unknown, accepted: string): string {
  if (value && typeof value === "object" && isFastifyInstance(value)) {
    return "got a Fastify instance: pass `fastify.routing` after `await fastify.ready()` (as Nitro's server.node.ts does).";
  }
  const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? `an object with keys ${Object.keys(value).join(", ") || "none"}` : typeof value;
  return `expected ${accepted}; got ${got}. Wrap any other Node.js handler with \`toFetchHandler\` from "srvx/node".`;
}

let srvxNode: Promise<SrvxNode> | undefined;

/** srvx's Node bridge, loaded on the first request to a Node app: apps without one never pay for it. */
function loadSrvxNode(): Promise<SrvxNode> {
  return (srvxNode ??= importOptional<SrvxNode>("srvx/node").catch((error: unknown) => {
    srvxNode = undefined;
    throw new Error("[nitrokit] Serving a Node.js-style app needs srvx/node, which this runtime cannot load (Node-style apps run on Node.js).", { cause: error });
  }));
}

/**
 * A Node app as a fetch handler, through srvx's `toFetchHandler`: the request body is
 * streamed to the app as a Node `IncomingMessage` (so `express.json()` and Fastify's
 * parsers read it) and what it writes to `res` becomes the Response.
 *
 * An app that takes `next` and calls it without an error has not answered: the result
 * is `undefined`, and the caller continues (to the app's 404). An error passed to `next`
 * is thrown, so the app's error handling, not srvx's bare 500, answers it; so is a
 * failure of the request body (a 413 over the size limit), whatever the app made of it.
 */
export function nodeAppFetch(app: NodeStyleApp): (request: Request) => Promise<Response | undefined> {
  const handler = app as unknown as NodeHandler;
  const takesNext = handler.length >= 3 || typeof (handler as { handle?: unknown }).handle === "function";
  return async (request) => {
    const { toFetchHandler } = await loadSrvxNode();
    const outcome: { passed: boolean; failure?: unknown; bodyError?: unknown } = { passed: false };
    // The parameter count tells srvx whether to pass a `next` and wait for it.
    const bridge = takesNext
      ? (req: unknown, res: unknown, next: NodeNext) =>
          handler(req, res, (error?: unknown) => {
            if (error) outcome.failure = error;
            else outcome.passed = true;
            next();
          })
      : (req: unknown, res: unknown) => handler(req, res);
    const body = endOnError(request.body, (error) => (outcome.bodyError ??= error));
    // srvx would hand over the server's own req/res when it finds them on the request, with the
    // unprefixed URL and the body unlimited: hide them so it always builds a bridged pair.
    const bridged = requestAt(request, request.url, { runtime: undefined, body });
    const response = await toFetchHandler(bridge as unknown as Parameters<SrvxNode["toFetchHandler"]>[0])(bridged);
    if (outcome.bodyError !== undefined) throw outcome.bodyError;
    if (outcome.failure !== undefined) throw outcome.failure;
    return outcome.passed ? undefined : response;
  };
}

/**
 * `body` ending, rather than failing, when the stream under it fails (over the size
 * limit, cut off), the failure handed to `failed`. srvx's bridge reports a failing
 * body on its socket only, so the app's `IncomingMessage` would wait for the rest of
 * it forever; ended, the app's body parser stops at once, and the caller answers
 * with the real cause. A client that went away is no failure to report.
 */
function endOnError(body: ReadableStream<Uint8Array> | null, failed: (error: unknown) => void): ReadableStream<Uint8Array> | null {
  if (!body) return null;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        if ((error as { name?: string } | undefined)?.name !== "AbortError") failed(error);
        controller.close();
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * `request` at another URL (a mounted app sees its path without the mount prefix),
 * sharing its body, headers and signal; `overrides` replace other properties.
 */
export function requestAt(request: Request, url: string, overrides: Record<PropertyKey, unknown> = {}): Request {
  // `_url` is srvx's parsed-URL cache: the original one would bring the old path back.
  const own: Record<PropertyKey, unknown> = { url, _url: undefined, ...overrides };
  return new Proxy(request, {
    get(target, property) {
      if (property in own) return own[property];
      return forwardMember(target, property);
    },
    set(_target, property, value) {
      own[property] = value;
      return true;
    },
  });
}
