#!/usr/bin/env bash
# Smoke test of the package as users get it: pack, install the tarball into an empty
# project, import every entry point listed in "exports", and run every ```js snippet (on Node; snippets
# for other runtimes are fenced ```javascript, their equivalents in examples/portable run in test/runtimes)
# of the README there (each must exit 0 within 30 s).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/nitrokit-smoke-XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$root"
[ -f dist/index.js ] || npm run build >/dev/null
npm pack --silent --pack-destination "$work" >/dev/null
app="$work/app"; mkdir -p "$app"; cd "$app"
npm init -y >/dev/null && npm pkg set type=module >/dev/null
# The README's snippets also use these, as a user's app would (vite: nitrokit/vite imports it).
npm install --no-audit --no-fund --silent "$work"/nitrokit-*.tgz express hono zod ws vite@8 \
  @opentelemetry/api@^1.9.0 @opentelemetry/sdk-trace@^2.12.0 @opentelemetry/context-async-hooks@^2.12.0 >"$work/install.log" 2>&1 \
  || { tail -n 20 "$work/install.log"; echo "smoke: installing the tarball failed"; exit 1; }

echo "smoke: importing every entry point"
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const pkg = JSON.parse(readFileSync("node_modules/nitrokit/package.json", "utf8"));
  let failed = 0;
  for (const key of Object.keys(pkg.exports)) {
    if (key.endsWith(".json")) continue;
    const spec = "nitrokit" + key.slice(1);
    try {
      const mod = await import(spec);
      const names = Object.keys(mod);
      if (names.length === 0) throw new Error("exports nothing");
      console.log(`  ok   ${spec} (${names.length} exports)`);
    } catch (error) { failed++; console.log(`  FAIL ${spec}: ${error.message}`); }
  }
  process.exit(failed ? 1 : 0);
'

echo "smoke: running the README's js snippets"
node --input-type=module -e '
  import { readFileSync, writeFileSync } from "node:fs";
  const readme = readFileSync(process.argv[1], "utf8");
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  blocks.forEach((code, i) => writeFileSync(`snippet-${i + 1}.mjs`, code));
  console.log(`  ${blocks.length} snippets`);
' "$root/README.md"
status=0
for f in snippet-*.mjs; do
  if out=$(timeout 30 node "$f" 2>&1); then echo "  ok   $f"; else status=1; echo "  FAIL $f"; echo "$out" | tail -n 20 | sed 's/^/       /'; fi
done
[ $status -eq 0 ] && echo "smoke: passed" || echo "smoke: FAILED"
exit $status
