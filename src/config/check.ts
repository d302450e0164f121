/**
 * A small, synchronous shape checker for the config of `createNitroApp()`.
 *
 * Why not zod: the config is checked on every start-up, and importing zod costs more than
 * the rest of nitrokit's start-up (over 200 modules). The config's shape is fixed and
 * small, so a handful of checks written here cover it exactly, with no import at all.
 * zod stays what apps use for their own schemas (runtimeConfigSchema, typed routes).
 *
 * The rules follow zod 4's, so messages stay as users know them:
 * - a value of the wrong type is a *fatal* issue ("Invalid input: expected string, received number");
 * - a refinement (min length, prefix, pattern, a predicate) is a *soft* issue, reported with the
 *   value's own message, and only checked once the type is right;
 * - an object's own refinements run only when its fields have no fatal issue;
 * - a union passes when one member passes; otherwise, when exactly one member failed only
 *   softly (its shape fits, a detail does not), its issues are reported, else the union's message.
 */

/** One problem found, at a key path inside the config. */
export interface ConfigIssue {
  path: PropertyKey[];
  message: string;
  /** The value is of the wrong kind (as opposed to a detail of a value of the right kind). */
  fatal: boolean;
}

type Run = (value: unknown, path: PropertyKey[], issues: ConfigIssue[]) => void;
type Message = string | ((value: unknown) => string);

/** A check of one value; object checks keep their fields, for the unknown-key warning. */
export class Check {
  readonly #run: Run;
  /** The fields of an object check (through `optional()` and unions with one object member). */
  readonly shape: Readonly<Record<string, Check>> | undefined;
  /** Whether `undefined` passes (a field that may be left out). */
  readonly isOptional: boolean;

  constructor(run: Run, shape?: Readonly<Record<string, Check>>, isOptional = false) {
    this.#run = run;
    this.shape = shape;
    this.isOptional = isOptional;
  }

  /** Adds this value's issues at `path` to `issues`. */
  run(value: unknown, path: PropertyKey[], issues: ConfigIssue[]): void {
    if (value === undefined && this.isOptional) return;
    this.#run(value, path, issues);
  }

  /** The issues of `value` (none when it passes). */
  issues(value: unknown): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    this.run(value, [], issues);
    return issues;
  }

  /** The same check, with `undefined` allowed. */
  optional(): Check {
    return new Check((value, path, issues) => this.run(value, path, issues), this.shape, true);
  }

  /** Adds a soft check that runs once this one has no fatal issue. */
  refine(predicate: (value: never) => boolean, message: Message): Check {
    return new Check(
      (value, path, issues) => {
        const start = issues.length;
        this.run(value, path, issues);
        if (hasFatal(issues, start)) return;
        if (!predicate(value as never)) issues.push({ path, message: messageFor(message, value), fatal: false });
      },
      this.shape,
      this.isOptional,
    );
  }
}

function messageFor(message: Message, value: unknown): string {
  return typeof message === "function" ? message(value) : message;
}

function hasFatal(issues: ConfigIssue[], from: number): boolean {
  for (let i = from; i < issues.length; i++) if (issues[i]!.fatal) return true;
  return false;
}

/** zod's name for the kind of a value, as in "received number". */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value).replace("-", "");
  return typeof value;
}

/** A type check: `test` decides, the message names `expected` and what was received. */
function typed(expected: string, test: (value: unknown) => boolean): Check {
  return new Check((value, path, issues) => {
    if (!test(value)) issues.push({ path, message: `Invalid input: expected ${expected}, received ${kindOf(value)}`, fatal: true });
  });
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export const string = (): Check => typed("string", (value) => typeof value === "string");
export const boolean = (): Check => typed("boolean", (value) => typeof value === "boolean");
export const number = (): Check => typed("number", (value) => typeof value === "number" && Number.isFinite(value));
/** An integer: "expected number" for another kind of value, "expected int" for a fraction. */
export const integer = (): Check =>
  new Check((value, path, issues) => {
    if (typeof value !== "number" || !Number.isFinite(value)) number().run(value, path, issues);
    else if (!Number.isSafeInteger(value)) issues.push({ path, message: "Invalid input: expected int, received number", fatal: true });
  });

/** A non-empty string (`message` for an empty one). */
export const nonEmptyString = (message = "Too small: expected string to have >=1 characters"): Check =>
  string().refine((value: string) => value.length >= 1, message);
/** A number above zero. */
export const positive = (base: Check = number()): Check => base.refine((value: number) => value > 0, "Too small: expected number to be >0");
/** A number of zero or more. */
export const nonNegative = (base: Check = number()): Check => base.refine((value: number) => value >= 0, "Too small: expected number to be >=0");

/** A value that passes `predicate`, or a fatal issue with `message` (zod's `z.custom`). */
export function custom(predicate: (value: unknown) => boolean, message: Message): Check {
  return new Check((value, path, issues) => {
    if (!predicate(value)) issues.push({ path, message: messageFor(message, value), fatal: true });
  });
}

/** Exactly `expected`. */
export function literal(expected: string | boolean): Check {
  return new Check((value, path, issues) => {
    if (value !== expected) issues.push({ path, message: `Invalid input: expected ${JSON.stringify(expected)}`, fatal: true });
  });
}

/** One of `options`. */
export function oneOf(options: readonly string[]): Check {
  return new Check((value, path, issues) => {
    if (!options.includes(value as string)) {
      issues.push({ path, message: `Invalid option: expected one of ${options.map((option) => JSON.stringify(option)).join("|")}`, fatal: true });
    }
  });
}

/** Any value (refine it to check something). */
export const unknown = (): Check => new Check(() => {});

/** An array whose every item passes `item`. */
export function array(item: Check): Check {
  return new Check((value, path, issues) => {
    if (!Array.isArray(value)) return void issues.push({ path, message: `Invalid input: expected array, received ${kindOf(value)}`, fatal: true });
    value.forEach((entry, index) => item.run(entry, [...path, index], issues));
  });
}

/** A plain object whose every value passes `entry` (zod's `z.record(z.string(), entry)`). */
export function record(entry: Check): Check {
  return new Check((value, path, issues) => {
    if (!isRecord(value)) return void issues.push({ path, message: `Invalid input: expected record, received ${kindOf(value)}`, fatal: true });
    for (const key of Object.keys(value)) entry.run(value[key], [...path, key], issues);
  });
}

/**
 * An object with these fields (others are let through: the config warns about them
 * separately). A field is required unless its check is `optional()`.
 */
export function object(shape: Record<string, Check>): Check {
  return new Check((value, path, issues) => {
    if (!isRecord(value)) return void issues.push({ path, message: `Invalid input: expected object, received ${kindOf(value)}`, fatal: true });
    for (const key of Object.keys(shape)) shape[key]!.run(value[key], [...path, key], issues);
  }, shape);
}

/** Every field of `shape` optional (zod's `.partial()`). */
export function optionalKeys(shape: Record<string, Check>): Record<string, Check> {
  return Object.fromEntries(Object.entries(shape).map(([key, check]) => [key, check.optional()]));
}

/** A value that passes one of `members`; see the module's notes for which issues a failure reports. */
export function union(members: Check[], message = "Invalid input"): Check {
  const shapes = members.map((member) => member.shape).filter((shape) => shape !== undefined);
  return new Check(
    (value, path, issues) => {
      const soft: ConfigIssue[][] = [];
      for (const member of members) {
        const found = member.issues(value);
        if (found.length === 0) return;
        if (!found.some((issue) => issue.fatal)) soft.push(found);
      }
      if (soft.length === 1) for (const issue of soft[0]!) issues.push({ ...issue, path: [...path, ...issue.path] });
      else issues.push({ path, message, fatal: true });
    },
    shapes.length === 1 ? shapes[0] : undefined,
  );
}

/**
 * `true`, `false` or an options object. Unlike a union, an object with a bad option reports
 * that option's own path and message (`logging.logger: expected …`); anything else gets `message`.
 */
export function booleanOr(options: Check, message: string): Check {
  return new Check((value, path, issues) => {
    if (typeof value === "boolean") return;
    if (!isRecord(value)) return void issues.push({ path, message, fatal: true });
    options.run(value, path, issues);
  }, options.shape);
}

/** `config.a.b[0]`-style path, as issues are reported. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "config";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join("");
}
