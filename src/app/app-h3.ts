/**
 * The h3 app under every nitrokit app (`app.h3`): h3's own `H3`, with one step of its answer
 * done faster for the commonest answer there is, a handler's plain object sent as JSON.
 *
 * h3 turns a handler's value into a response in `toResponse`: it tests the value's kind, builds
 * the JSON body, and hands srvx a `FastResponse` whose headers are a shared `Headers` object,
 * which srvx then iterates (undici's iterator) to write the response on Node; the `headers`
 * route rule (headers-rule.ts) then rebuilds that response once more to add its headers.
 * Measured on Node, those steps were a tenth of a full-stack app's CPU per request.
 *
 * `handler()` is h3's whole dispatch (route, middleware, handler) and what h3's `~request` calls
 * after `onRequest`; its value goes on to h3's `toResponse`. Here, when that value is a plain
 * JSON value and nothing else shapes the answer, it leaves as the response h3 would have built:
 * the same body, status and headers, with the rule headers in the same step, so `toResponse`
 * passes it through. Anything else (a status or header set on `event.res`, `onDispose`
 * listeners, HEAD, strings, streams, errors, h3's markers) goes to h3 unchanged.
 */
import { H3, type H3Config, type H3Event, type H3Route } from "h3";
import type { MatchedRoute, RouterContext } from "rou3";
import { RouteLookup, type RoutedApp } from "./route-lookup.js";
import { addPlainRoute, adoptRouter, isAdoptedRouter } from "./plain-route-insertion.js";
import { peekRuleHeaders, takeRuleHeaders } from "../route-rules/headers-rule.js";
import { PlainJSONResponse, headersForPlainJSON, runtimeJSONResponse, runtimeOwnsResponse } from "./plain-response.js";

/**
 * h3's per-request state (`event.res` once touched, `onDispose` listeners), under its
 * registered symbols: their presence means h3 must build the answer itself.
 */
const kEventRes = Symbol.for("h3.internal.event.res");
const kEventDispose = Symbol.for("h3.internal.event.dispose");
type EventState = { [kEventRes]?: unknown; [kEventDispose]?: unknown };

export class AppH3 extends H3 {
  /** How requests find their route (route-lookup.ts): h3's router, compiled once it stops changing. */
  readonly #routes = new RouteLookup<H3Route>(this as RoutedApp<H3Route>);

  constructor(config?: H3Config) {
    super(config);
    // Plain routes go into rou3's tree without rou3's parser, when h3's rou3 is nitrokit's (plain-route-insertion.ts).
    adoptRouter(this["~rou3"] as RouterContext<unknown>);
  }

  /**
   * h3's own: the route into rou3's tree, then onto the route list. A plain pattern (literal segments,
   * `:params`, maybe a final wildcard: nearly every route) goes into the tree without rou3's pattern parser
   * (plain-route-insertion.ts): the same nodes, in fewer instructions.
   */
  override "~addRoute"(route: H3Route): void {
    const router = this["~rou3"] as RouterContext<unknown>;
    if (!isAdoptedRouter(router) || !addPlainRoute(router, route.method ?? "", route.route ?? "", route)) return super["~addRoute"](route);
    this["~routes"].push(route);
  }

  /** h3's own lookup (a HEAD request falls back to GET routes), through {@link RouteLookup}. */
  override "~findRoute"(event: H3Event): MatchedRoute<H3Route> | void {
    const { method } = event.req;
    const { pathname } = event.url;
    const match = this.#routes.find(method, pathname);
    if (match === undefined && method === "HEAD") return this.#routes.find("GET", pathname);
    return match;
  }

  override handler(event: H3Event): unknown {
    const result = super.handler(event);
    return isPromise(result) ? result.then((value) => this.#plainJSON(value, event)) : this.#plainJSON(result, event);
  }

  /** The JSON response h3's `toResponse` would build for `value`, or `value` itself when h3 must decide. */
  #plainJSON(value: unknown, event: H3Event): unknown {
    if (typeof value !== "object" || value === null) return value;
    const state = event as unknown as EventState;
    if (state[kEventRes] !== undefined || state[kEventDispose] !== undefined || event.req.method === "HEAD") return value;
    if (!isJSONObject(value)) return value;
    const indent = this.config.debug ? 2 : undefined;
    // Bun, Deno, Workers: their own Response, built the way that is cheapest there (plain-response.ts).
    // The rule headers are taken once the body is made: if serializing throws, the error answer gets them.
    if (runtimeOwnsResponse()) {
      const response = runtimeJSONResponse(value, peekRuleHeaders(event.context), indent);
      takeRuleHeaders(event.context);
      return response;
    }
    const body = JSON.stringify(value, undefined, indent);
    return new PlainJSONResponse(body, headersForPlainJSON(takeRuleHeaders(event.context)));
  }
}

/**
 * Objects h3 sends as JSON, tested in h3's order: anything with `toJSON`, arrays, then (unless it
 * looks like a stream) plain and null-prototype objects. Class instances (h3's own `EmptyObject`
 * among them) are left to h3, which decides the rest the same way.
 */
function isJSONObject(value: object): boolean {
  const candidate = value as { toJSON?: unknown; pipe?: unknown; pipeTo?: unknown };
  if (typeof candidate.toJSON === "function" || Array.isArray(value)) return true;
  if (typeof candidate.pipe === "function" || typeof candidate.pipeTo === "function") return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | undefined)?.then === "function";
}
