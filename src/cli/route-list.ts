import { H3 } from "h3";
import type { NitroApp } from "../types/app.js";
import type { RouteSource } from "../app/route-registry.js";

/** One row of `nitrokit routes`: a method on a path pattern. */
export interface RouteRow {
  /** `GET`, `POST`, …, or `ALL` for a handler registered for every method. */
  method: string;
  /** The pattern as registered (with the base URL), e.g. `/api/users/:id`. */
  path: string;
  /** What serves it, when that can be told: a lazy module's import path, a function's name, a mounted app. */
  handler: string | null;
  /** Loaded on its first request. */
  lazy: boolean;
  /** The route rules that apply to the pattern (merged, as a request to it sees them). */
  rules: Record<string, unknown>;
  /** Responses are cached: by a `cache`/`swr` route rule or a `defineCachedHandler` handler. */
  cached: boolean;
}

/** The app's route table, in registration order, one row per method. */
export function listRoutes(app: NitroApp): RouteRow[] {
  const entries = app["~registry"].entries();
  // The server entry is matched after every specific route: list it where it applies, last.
  const ordered = [...entries.filter(({ source }) => !source.catchAll), ...entries.filter(({ source }) => source.catchAll)];
  return ordered.map(({ method, pattern, source }) => {
    const rules = { ...app.getRouteRules(method || "GET", pattern).routeRules } as Record<string, unknown>;
    return {
      method: method || "ALL",
      path: pattern,
      handler: describeSource(source),
      lazy: source.lazy === true,
      rules,
      cached: Boolean(rules.cache) || isCachedHandler(source.handler),
    };
  });
}

const GENERIC_NAMES = new Set(["", "anonymous", "handler", "_fetchHandler"]);

function describeSource(source: RouteSource): string | null {
  const { handler } = source;
  if (source.lazy) return `lazy ${lazyImportPath(handler) ?? "loader"}`;
  if (handler instanceof H3) return source.mounted ? "mounted H3 app" : "H3 app";
  if (isCachedHandler(handler)) return "cached handler";
  if (typeof handler === "function") {
    const name = handler.name.replace(/^bound /, "");
    return GENERIC_NAMES.has(name) ? (source.mounted ? "mounted app" : null) : name;
  }
  if (handler && typeof handler === "object" && typeof (handler as { fetch?: unknown }).fetch === "function") {
    return source.mounted ? "mounted fetch app" : "fetch handler";
  }
  return null;
}

/** `() => import("./routes/report.js")` → `./routes/report.js` (in TypeScript run by jiti, `import()` reads `jitiImport()`). */
function lazyImportPath(loader: unknown): string | undefined {
  // A module path from the config (`handler: "./routes/x.ts"`).
  if (typeof loader === "string") return loader;
  if (typeof loader !== "function") return undefined;
  return /\b(?:import|jitiImport)\(\s*["'`]([^"'`]+)["'`]\s*\)/.exec(Function.prototype.toString.call(loader))?.[1];
}

/** `defineCachedHandler` results carry their cache controls. */
function isCachedHandler(handler: unknown): boolean {
  const cached = handler as { invalidate?: unknown; resolveKeys?: unknown } | undefined;
  return typeof cached?.invalidate === "function" && typeof cached.resolveKeys === "function";
}

/** `cache(maxAge=60) · cors · headers` for the table. */
export function summarizeRules(rules: Record<string, unknown>): string {
  return Object.entries(rules)
    .map(([name, value]) => {
      if (name === "redirect" || name === "proxy") return `${name} → ${(value as { to?: string }).to ?? "?"}`;
      if (name === "cache" && value && typeof value === "object") {
        const options = Object.entries(value).map(([key, option]) => `${key}=${String(option)}`);
        return options.length ? `cache(${options.join(", ")})` : "cache";
      }
      return name;
    })
    .join(" · ");
}
