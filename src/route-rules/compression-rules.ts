import type { RuleHandler } from "h3/rules";
import { compressMiddleware, resolveCompressOptions } from "../compression/compress.js";
import { etagMiddleware } from "../compression/etag.js";

/**
 * The `compress` rule. Order -5, the outermost rule: it compresses what everything inside
 * produced (other rules, the global middleware, the cache rule's stored responses, the handler).
 */
export function createCompressRule(): RuleHandler<"compress"> {
  return {
    order: -5,
    handler: (matched) => compressMiddleware(resolveCompressOptions(matched.options, `routeRules['${matched.route}'].compress`)),
  };
}

/** The `etag` rule. Order -4: just inside `compress`, so the tag names the uncompressed bytes (one tag for every encoding). */
export function createETagRule(): RuleHandler<"etag"> {
  return {
    order: -4,
    handler: () => etagMiddleware(),
  };
}
