// The generated route trees of the filesystem-routing boot benches (boot.mjs, boot-instructions.mjs).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Inside the package, so the files' `nitrokit/h3` imports resolve to dist/ by self-reference. */
export const treesDir = join(dirname(fileURLToPath(import.meta.url)), "..", ".boot");

/**
 * `count` route files in folders of ten, a third each of plain routes, GET routes below a param
 * folder and POST routes (`api/s3/r30.mjs`, `api/s3/[id]/r31.get.mjs`, `api/s3/r32.post.mjs`),
 * plus one middleware, in `bench/.boot/routes-<count>` (replaced). Every file imports h3 from the
 * package, as real route files do. The first request of both benches is GET /api/s0/r0.
 */
export function generateTree(count) {
  const dir = join(treesDir, `routes-${count}`);
  rmSync(dir, { recursive: true, force: true });
  const write = (path, body) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `import { defineHandler } from "nitrokit/h3";\n\n${body}\n`);
  };
  for (let i = 0; i < count; i++) {
    const folder = `routes/api/s${Math.floor(i / 10)}`;
    const handler = `export default defineHandler((event) => ({ route: ${i}, params: event.context.params ?? null }));`;
    if (i % 3 === 0) write(`${folder}/r${i}.mjs`, handler);
    else if (i % 3 === 1) write(`${folder}/[id]/r${i}.get.mjs`, handler);
    else write(`${folder}/r${i}.post.mjs`, handler);
  }
  write("middleware/1.context.mjs", `export default defineHandler((event) => { event.context.booted = true; });`);
  return dir;
}
