import type { Middleware } from "h3";
import type { RuleHandler } from "h3/rules";
import { proxy } from "h3/rules/proxy";
import { instrumentation } from "../app/instrumentation.js";

/**
 * h3's `proxy` rule, carrying the trace while tracing is on: the upstream call runs in a
 * client span and gets its `traceparent` (instead of the one the client sent, which h3
 * forwards with the other request headers). Without tracing it is h3's middleware as is.
 */
export const tracedProxy: RuleHandler<"proxy"> = {
  ...proxy,
  handler: (matched) => {
    const plain = proxy.handler(matched);
    const traced: Middleware = (event, next) => {
      const spans = instrumentation();
      if (!spans) return plain(event, next);
      const attributes = { "nitrokit.route_rule": "proxy", "nitrokit.proxy.route": matched.route };
      return spans.span(
        "proxy",
        attributes,
        () => {
          // The rule's own headers go last in h3's merge: the trace context set there wins.
          const headers = new Headers(matched.options.headers as HeadersInit | undefined);
          spans.inject(headers);
          return proxy.handler({ ...matched, options: { ...matched.options, headers } })(event, next);
        },
        "client",
      );
    };
    return traced;
  },
};
