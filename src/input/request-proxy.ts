/**
 * What a `Proxy` around a request hands out for `prop` it does not replace: methods
 * bound to the request (native `Request` methods and getters check their `this`),
 * except a property the request holds read-only and non-configurable, which a Proxy
 * must return exactly as it is, or reading it throws a `TypeError`.
 *
 * The one workaround for srvx (1.0.8) here: its Bun and Deno servers define
 * `waitUntil` on each request that way (`Object.defineProperties` with only a
 * `value`), so every Proxy over such a request that binds methods (srvx's own
 * `limitRequestBody` included) made `event.waitUntil()` throw. No upstream issue was
 * found in h3js/srvx when this was written; look there before removing it.
 */
export function forwardMember(target: Request, prop: PropertyKey): unknown {
  const value: unknown = Reflect.get(target, prop, target);
  if (typeof value !== "function" || prop === "constructor") return value;
  const own = Reflect.getOwnPropertyDescriptor(target, prop);
  if (own && !own.configurable && !own.writable) return value;
  return value.bind(target);
}
