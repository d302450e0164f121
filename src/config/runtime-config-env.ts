/**
 * The env overlay of runtime config, as Nitro users know it: every declared key
 * can be overridden by `NITRO_` + its path in SCREAMING_SNAKE_CASE
 * (`oauth.clientId` → `NITRO_OAUTH_CLIENT_ID`), then by the same name under a
 * second, configurable prefix. Undeclared variables are never read in.
 *
 * Unlike Nitro (which runs every value through `destr`), a value takes the type
 * of the declared default: a string default stays a string even when the
 * variable reads `"123"` or `"true"`, and a number default refuses `"abc"`.
 */

export type EnvSource = Record<string, unknown>;

export interface EnvOverlayOptions {
  /** Prefixes looked up in order; the first one set wins. */
  prefixes: string[];
  /** Replace `{{NAME}}` in string values with `env.NAME`. */
  expand?: boolean;
}

/** Returns a copy of `config` with the overlay applied; throws one error listing every unusable variable. */
export function applyEnvOverlay<T extends Record<string, unknown>>(config: T, env: EnvSource, options: EnvOverlayOptions): T {
  const problems: string[] = [];
  // The variables that could match, listed once: reading process.env is a call into the OS
  // environment per name, and a config with many keys (route rules) would make hundreds.
  const candidates = new Set(Object.keys(env).filter((name) => options.prefixes.some((prefix) => name.startsWith(prefix))));
  const result = overlayObject(config, [], env, { ...options, candidates }, problems) as T;
  if (problems.length > 0) {
    throw new TypeError(`[nitrokit] Invalid runtime config from the environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return result;
}

/** The overlay's options, with the names of the variables that start with one of its prefixes. */
interface OverlayContext extends EnvOverlayOptions {
  candidates: ReadonlySet<string>;
}

function overlayObject(
  source: Record<string, unknown>,
  path: string[],
  env: EnvSource,
  options: OverlayContext,
  problems: string[],
): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const keyPath = [...path, key];
    const declared = source[key];
    const found = lookup(keyPath, env, options);
    let value: unknown = declared;
    if (found) {
      const parsed = parseLike(declared, found.value);
      if (parsed.ok) value = parsed.value;
      else problems.push(`${found.name}=${JSON.stringify(String(found.value))}: ${parsed.reason} (runtimeConfig.${keyPath.join(".")})`);
    }
    if (isPlainObject(value)) {
      // Nested variables still win over a JSON object given for the parent.
      const declaredObject = isPlainObject(declared) ? declared : {};
      value = overlayObject({ ...declaredObject, ...value }, keyPath, env, options, problems);
    } else if (Array.isArray(value)) {
      value = value.map((item) => expandDeep(item, env, options));
    } else {
      value = expand(value, env, options);
    }
    target[key] = value;
  }
  return target;
}

function lookup(keyPath: string[], env: EnvSource, { prefixes, candidates }: OverlayContext): { name: string; value: unknown } | undefined {
  if (candidates.size === 0) return undefined;
  const suffix = keyPath.map(toScreamingSnake).join("_");
  for (const prefix of prefixes) {
    const name = prefix + suffix;
    if (!candidates.has(name)) continue;
    const value = env[name];
    if (value !== undefined && value !== "") return { name, value };
  }
  return undefined;
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

/** Parses an env value into the type of the declared default. */
function parseLike(declared: unknown, raw: unknown): Parsed {
  if (typeof raw !== "string") return { ok: true, value: raw }; // platform bindings arrive typed
  switch (typeof declared) {
    case "string":
      return { ok: true, value: raw };
    case "number": {
      const value = Number(raw.trim());
      return raw.trim() !== "" && Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: "expected a number" };
    }
    case "boolean": {
      const normalized = raw.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(normalized)) return { ok: true, value: true };
      if (["false", "0", "no", "off"].includes(normalized)) return { ok: true, value: false };
      return { ok: false, reason: "expected a boolean (true/false)" };
    }
  }
  if (Array.isArray(declared)) {
    const value = parseJSON(raw);
    return Array.isArray(value) ? { ok: true, value } : { ok: false, reason: "expected a JSON array" };
  }
  if (isPlainObject(declared)) {
    const value = parseJSON(raw);
    return isPlainObject(value) ? { ok: true, value } : { ok: false, reason: "expected a JSON object" };
  }
  // null/undefined defaults declare no type: take the string as it is.
  return { ok: true, value: raw };
}

function expand(value: unknown, env: EnvSource, options: EnvOverlayOptions): unknown {
  if (!options.expand || typeof value !== "string" || !value.includes("{{")) return value;
  return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (match, name: string) => {
    const replacement = env[name];
    return typeof replacement === "string" ? replacement : match;
  });
}

function expandDeep(value: unknown, env: EnvSource, options: EnvOverlayOptions): unknown {
  if (Array.isArray(value)) return value.map((item) => expandDeep(item, env, options));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expandDeep(item, env, options)]));
  }
  return expand(value, env, options);
}

function parseJSON(raw: string): unknown {
  try {
    return JSON.parse(raw, (key, value) => (key === "__proto__" ? undefined : value));
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `apiSecret` → `API_SECRET`, `apiURL` → `API_URL`, `client-id` → `CLIENT_ID`. */
export function toScreamingSnake(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}
