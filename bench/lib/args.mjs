// The command-line flags of the bench scripts. Each script declares its flags for node:util's
// parseArgs (so `--flag value` and `--flag=value` both work, and an unknown flag is an error that
// names it); the steps several scripts take with the values live here once, instead of in a
// hand-written argv loop per script: -h/--help, the "(try --help)" hint, `--only a,b` lists,
// positive integers, and repeatable `--server name=path.mjs` pairs.
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

/** `raw` as a positive integer; throws naming `flag` otherwise. */
export function positiveInt(flag, raw) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} expects a positive integer, got ${JSON.stringify(raw)}`);
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
