import type { H3Event, HTTPEvent } from "h3";
import { refuseDeclaredOversize } from "./body-limit.js";
import { assertNoPrototypeKeys } from "./forbidden-keys.js";
import { forwardMember } from "./request-proxy.js";

/** Methods whose requests carry no body to check. */
const BODILESS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * What the app checks on every request before middleware and handlers run (h3's
 * `onRequest`): a declared body over the limit is refused with 413, and a request that
 * may carry a body gets a `json()` that refuses prototype-polluting keys, as
 * `readBody` does. Nitro 3's code reads bodies with `event.req.json()` (its docs and
 * migration guide say so), and h3's `defineValidatedHandler`/`defineRoute` read through
 * it too. GET, HEAD and OPTIONS requests pay for one header read and nothing else.
 */
export function guardRequest(event: H3Event, maxRequestBodySize: number): void {
  // Any method: a GET declaring a huge body would otherwise hold its socket while Node drains it.
  refuseDeclaredOversize(event, maxRequestBodySize);
  if (BODILESS.has(event.req.method)) return;
  // Typed read-only on H3Event, but a plain field that h3 itself replaces (bodyLimit, defineValidatedHandler).
  (event as HTTPEvent).req = withCheckedJson(event.req) as HTTPEvent["req"];
}

function withCheckedJson(request: Request): Request {
  return new Proxy(request, {
    get(target, prop) {
      if (prop === "json") {
        return () =>
          target.json().then((value: unknown) => {
            assertNoPrototypeKeys(value, "body");
            return value;
          });
      }
      return forwardMember(target, prop);
    },
  });
}
