// The command-line flags of the bench scripts. Each script declares its flags for node:util's
// parseArgs (so `--flag value` and `--flag=value` both work, and an unknown flag is an error that
// names it); the steps several scripts take with the values live here once, instead of in a
// hand-written argv loop per script: -h/--help, the "(try --help)" hint, `--only a,b` lists,
// numbers (a bad value is an error that names the flag, never a NaN that runs nonsense), and
// repeatable `--server name=path.mjs` pairs.
import { resolve } from "node:path";
import { parseArgs } from "node:util";

/**
 * The script's arguments (process.argv.slice(2)) parsed strictly against `options` (parseArgs' own;
 * -h/--help is added). With -h or --help: prints `usage` (a line, or an array of lines) and exits.
 * An undeclared flag, a flag without its value, or (unless `allowPositionals`) a positional argument
 * throws parseArgs' message with "(try --help)". Returns parseArgs' `{ values, positionals }`.
 */
export function parseFlags(options, usage, { allowPositionals = false } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (error) {
    throw new Error(`${error.message} (try --help)`);
  }
  if (parsed.values.help) {
    console.log([usage].flat().join("\n"));
    process.exit(0);
  }
  return parsed;
}

/** `raw` as a positive integer (`--rounds 3`); throws naming `flag` otherwise. */
export function positiveInt(flag, raw) {
  return numeric(flag, raw, "a positive integer", (n) => Number.isInteger(n) && n >= 1);
}

/** `raw` as an integer ≥ 0, where 0 means "none" or "off" (`--prewarm 0`, `--retries 0`); throws naming `flag` otherwise. */
export function nonNegativeInt(flag, raw) {
  return numeric(flag, raw, "a whole number (0 or more)", (n) => Number.isInteger(n) && n >= 0);
}

/** `raw` as a number > 0, fractions allowed (`--minutes 0.5`); throws naming `flag` otherwise. */
export function positiveNumber(flag, raw) {
  return numeric(flag, raw, "a positive number", (n) => n > 0);
}

/** `raw` as a number ≥ 0, fractions allowed (`--noise 2.5`); throws naming `flag` otherwise. */
export function nonNegativeNumber(flag, raw) {
  return numeric(flag, raw, "a number ≥ 0", (n) => n >= 0);
}

/** `Number(raw)` when `raw` is a finite number that passes `ok`; else throws "`flag` expects `expects`, got …". */
function numeric(flag, raw, expects, ok) {
  // Number("") and Number("  ") are 0: a flag given an empty value must not pass for "--flag 0".
  const n = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  if (!Number.isFinite(n) || !ok(n)) throw new Error(`${flag} expects ${expects}, got ${JSON.stringify(raw)}`);
  return n;
}

/** "a,b" (as `--only a,b` gives it) → ["a", "b"], blanks dropped; `undefined` (flag not given) stays `undefined`. */
export function commaList(raw) {
  return raw?.split(",").map((item) => item.trim()).filter(Boolean);
}

/** `--only a,b` where every name must be one of `known`: the names, or `undefined` when the flag was not given. */
export function knownServers(raw, known) {
  const names = commaList(raw);
  const unknown = names?.filter((name) => !known.includes(name));
  if (unknown?.length) throw new Error(`--only: unknown server ${unknown.join(", ")} (known: ${known.join(", ")})`);
  return names;
}

/**
 * The values of a repeatable `name=path` flag (`--server before=/tmp/old/bench/servers/x.mjs`) as
 * `{ name, path }`, `path` resolved against `base` (the working directory unless given); a value
 * without both parts throws "`flag` expects name=`expects`".
 */
export function namedPaths(flag, raws, expects, base = process.cwd()) {
  return raws.map((raw) => {
    const [name, path] = raw.split(/=(.*)/s);
    if (!name || !path) throw new Error(`${flag} expects name=${expects}`);
    return { name, path: resolve(base, path) };
  });
}
