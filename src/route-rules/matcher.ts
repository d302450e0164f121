/**
 * The route-rules matcher, built in time close to linear in the number of patterns.
 *
 * h3's `createRouteRulesMatcher` ranks every pattern by how many other patterns strictly contain
 * it, comparing each pattern with each other one (rou3's `compareRoutes`). With the 51 patterns
 * of a typical config that is ~1,300 comparisons, 7–8 ms of every start-up. Most pairs cannot be
 * related at all: two patterns whose plain leading segments differ (`/blog/**`, `/api/**`) match
 * disjoint paths. This module builds the same rou3 router, with the same entries and the same
 * ranks, but only compares the pairs that can be related, then answers through h3's own
 * `createMatcherFromFind`, so the merge (order, specificity, resets, alternate readings) stays
 * h3's. `test/route-rules/matcher.test.ts` checks it against h3's matcher on every path it tries.
 *
 * Patterns spelled with `%` escapes take h3's matcher as is (h3 re-cases some of them before
 * registering them; such rule sets are rare enough not to need the fast build), and so do handler
 * sets without `cache` and `proxy`, for which h3 reports rules that need them (nitrokit's engine
 * always has both).
 */
import { addRoute, compareRoutes, createRouter, findAllRoutes, type RouterContext } from "rou3";
import { addPlainRoute } from "../app/plain-route-insertion.js";
import { createMatcherFromFind, createRouteRulesMatcher, type NormalizedRouteRules, type RouteRuleEntry, type RouteRuleLayer, type RouteRulesMatcher, type RuleHandlers } from "h3/rules";

/** Methods a rule key may be scoped to (`"GET /api/**"`); any other prefix is part of the path. */
const RULE_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "QUERY"]);
const METHOD_SCOPED_KEY = /^([A-Za-z]+)\s+(\/.*)$/;
/** A segment that matches itself only: no params, wildcards, groups, modifiers or escapes. */
const PLAIN_SEGMENT = /^[\w\-.~]+$/;

/**
 * A matcher over normalized rules (`normalizeRouteRules`) with the given rule handlers, answering
 * exactly as h3's `createRouteRulesMatcher(rules, { handlers })` does.
 */
export function createRulesMatcher(rules: Record<string, NormalizedRouteRules>, handlers: RuleHandlers): RouteRulesMatcher {
  // h3's own checks and spellings stay h3's: escaped patterns, and a `cache`/`proxy` rule without its handler (an error).
  if (!("cache" in handlers && "proxy" in handlers) || Object.keys(rules).some((key) => key.includes("%"))) return createRouteRulesMatcher(rules, { handlers });
  const entriesByPattern = ruleEntriesByPattern(rules, handlers);
  rankByContainment(entriesByPattern);
  const router = createRouter<RouteRuleEntry[]>();
  for (const [pattern, methods] of entriesByPattern) {
    for (const [method, entries] of methods) {
      try {
        // Most rule patterns (`/api/**`, `/blog/:slug`) go in without rou3's pattern parser (the same tree).
        if (!addPlainRoute(router as RouterContext<unknown>, method, pattern, entries)) addRoute(router, method, pattern, entries);
      } catch (error) {
        throw new Error(`[h3] rules: invalid route pattern \`${pattern}\`: ${(error as Error).message}`, { cause: error });
      }
    }
  }
  const find = (method: string, pathname: string) => findAllRoutes(router, method, pathname) as RouteRuleLayer[];
  return createMatcherFromFind(find, alternateReadingMayOverride);
}

/**
 * Rule entries per pattern, then per method (`""` for all methods), in config order; a `GET`
 * rule also applies to `HEAD`, ahead of the pattern's own `HEAD` rules.
 */
function ruleEntriesByPattern(rules: Record<string, NormalizedRouteRules>, handlers: RuleHandlers): Map<string, Map<string, RouteRuleEntry[]>> {
  const byPattern = new Map<string, Map<string, RouteRuleEntry[]>>();
  for (const [key, rule] of Object.entries(rules)) {
    const { method, pattern } = parseRuleKey(key);
    const entries: RouteRuleEntry[] = [];
    for (const [name, options] of Object.entries(rule)) {
      if (options === undefined) continue;
      entries.push({ name, route: pattern, options, handler: Object.hasOwn(handlers, name) ? handlers[name] : undefined });
    }
    let methods = byPattern.get(pattern);
    if (!methods) byPattern.set(pattern, (methods = new Map()));
    methods.set(method, [...(methods.get(method) ?? []), ...entries]);
  }
  for (const methods of byPattern.values()) {
    const get = methods.get("GET");
    if (get) methods.set("HEAD", [...get, ...(methods.get("HEAD") ?? [])]);
  }
  return byPattern;
}

/** A rule key's method (`""` for any) and path pattern: `"POST /api/**"`, `"/api/**"`. */
export function parseRuleKey(key: string): { method: string; pattern: string } {
  const scoped = METHOD_SCOPED_KEY.exec(key);
  if (scoped && RULE_METHODS.has(scoped[1]!.toUpperCase())) return { method: scoped[1]!.toUpperCase(), pattern: scoped[2]! };
  return { method: "", pattern: !key ? "/" : key.startsWith("/") ? key : `/${key}` };
}

/**
 * Sets each entry's `rank`: how many other patterns strictly contain its pattern (h3 orders the
 * layers of a match by it, broadest first). Pairs whose plain leading segments differ are never
 * compared: no path can match both, so neither contains the other.
 */
function rankByContainment(byPattern: Map<string, Map<string, RouteRuleEntry[]>>): void {
  const patterns = [...byPattern.keys()];
  const prefixes = patterns.map(plainLeadingSegments);
  const ranks = patterns.map(() => 0);
  for (let i = 0; i < patterns.length; i++) {
    for (let j = i + 1; j < patterns.length; j++) {
      if (plainPrefixesDiffer(prefixes[i]!, prefixes[j]!)) continue;
      let relation: ReturnType<typeof compareRoutes>;
      try {
        relation = compareRoutes(patterns[i]!, patterns[j]!);
      } catch {
        continue; // a pattern rou3 cannot analyse keeps the rank it has, as in h3
      }
      if (relation === "superset") ranks[j]!++;
      else if (relation === "subset") ranks[i]!++;
    }
  }
  patterns.forEach((pattern, index) => {
    if (ranks[index] === 0) return;
    for (const entries of byPattern.get(pattern)!.values()) for (const entry of entries) entry.rank = ranks[index];
  });
}

/** The segments a pattern starts with that each match one path segment spelled exactly so. */
function plainLeadingSegments(pattern: string): string[] {
  const plain: string[] = [];
  for (const segment of pattern.split("/").slice(1)) {
    if (!PLAIN_SEGMENT.test(segment) || segment === "." || segment === "..") break;
    plain.push(segment);
  }
  return plain;
}

function plainPrefixesDiffer(a: string[], b: string[]): boolean {
  const common = Math.min(a.length, b.length);
  for (let k = 0; k < common; k++) if (a[k] !== b[k]) return true;
  return false;
}

/** A rule matched on an alternate reading of the path may replace one matched at least as broadly. */
function alternateReadingMayOverride(currentRoute: string, incomingRoute: string): boolean {
  if (currentRoute === incomingRoute) return true;
  const relation = compareRoutes(currentRoute, incomingRoute);
  return relation === "superset" || relation === "equal";
}
