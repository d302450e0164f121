import { HTTPError } from "h3";

/**
 * Why refuse rather than strip (as destr did for h3 v1): an own `__proto__` key, or a
 * `constructor` holding a `prototype`, never occurs in input a legitimate client
 * builds. Stripping would hand the handler data that differs from what was sent, in
 * silence; a 400 makes the attempt visible to the client and the logs, and no code
 * of the app ever runs on it (Fastify's secure-json-parse default).
 * A `constructor` key with any other value (`{ "constructor": "Ferrari" }`) is data.
 */
export type InputSource = "body" | "query";

/**
 * Throws `400 Bad Request` when `value` holds, at any depth, an own `__proto__` key,
 * or a `constructor` key whose value is an object with a `prototype` key: the two
 * shapes a deep merge turns into prototype pollution. Iterative, so a deeply nested
 * document that `JSON.parse` accepted cannot overflow the stack here.
 */
export function assertNoPrototypeKeys(value: unknown, source: InputSource): void {
  if (typeof value !== "object" || value === null) return;
  const pending: object[] = [value];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === "object" && item !== null) pending.push(item);
      continue;
    }
    if (!isPlainRecord(node)) continue;
    if (Object.hasOwn(node, "__proto__")) throw forbiddenKey(source, "__proto__");
    const record = node as Record<string, unknown>;
    const ctor = Object.hasOwn(record, "constructor") ? record.constructor : undefined;
    if (typeof ctor === "object" && ctor !== null && Object.hasOwn(ctor, "prototype")) throw forbiddenKey(source, "constructor.prototype");
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (typeof child === "object" && child !== null) pending.push(child);
    }
  }
}

/** Objects parsers build (`{}`, null-prototype maps such as h3's query object); never files, dates or class instances. */
function isPlainRecord(node: object): boolean {
  const proto: unknown = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

function forbiddenKey(source: InputSource, key: string): HTTPError {
  const where = source === "body" ? "request body" : "query string";
  return new HTTPError({
    status: 400,
    statusText: "Bad Request",
    message: `The ${where} contains the key "${key}", which is refused to protect against prototype pollution.`,
    data: { source, key },
  });
}
