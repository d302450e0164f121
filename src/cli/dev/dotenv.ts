import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/** The files `nitrokit dev` reads, in order: a later file wins over an earlier one (Nitro's list). */
export const DOTENV_FILES: readonly string[] = [".env", ".env.local"];

/**
 * Loads `.env` and `.env.local` from `root` into `env`, as Nitro's dev server does, before
 * the app module is imported (so `NITRO_*` variables reach runtime config): a variable the
 * environment already has is kept, `.env.local` overrides `.env`, and names starting with
 * `_` are left out. Parsed with Node's own `util.parseEnv`. Returns the files it read.
 */
export function loadDotenvFiles(root: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const fromFiles: Record<string, string> = {};
  const read: string[] = [];
  for (const file of DOTENV_FILES) {
    let text: string;
    try {
      text = readFileSync(join(root, file), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "EISDIR") continue;
      throw error;
    }
    for (const [key, value] of Object.entries(parseEnv(text))) {
      if (value !== undefined && !key.startsWith("_")) fromFiles[key] = value;
    }
    read.push(file);
  }
  for (const [key, value] of Object.entries(fromFiles)) {
    if (env[key] === undefined) env[key] = value;
  }
  return read;
}
