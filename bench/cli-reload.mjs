// `nitrokit dev` reload time on the showcase app: edits a temporary copy N times and reads
// the "reloaded in N ms" lines the dev server prints (load + ready() + swap, measured in-process).
// Usage: npm run build && node bench/cli-reload.mjs [--edits 10]
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags, positiveInt } from "./lib/args.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseFlags({ edits: { type: "string", default: "10" } }, "usage: npm run build && node bench/cli-reload.mjs [--edits N=10]");
const edits = positiveInt("--edits", values.edits);
const dir = mkdtempSync(join(tmpdir(), "nitrokit-reload-"));
mkdirSync(join(dir, "node_modules"));
symlinkSync(root, join(dir, "node_modules", "nitrokit"), "dir");
writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
cpSync(join(root, "examples", "showcase"), dir, { recursive: true });
// The showcase exports a factory by name; the CLI takes a default export.
writeFileSync(join(dir, "server.mjs"), `import { createShowcaseApp } from "./app.mjs";\nexport default () => createShowcaseApp();\n`);

const child = spawn(process.execPath, [join(root, "dist", "cli.js"), "dev", "--port", "0", "--host", "127.0.0.1"], {
  cwd: dir,
  env: { ...process.env, NO_COLOR: "1" },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
const waiters = [];
const onData = (chunk) => {
  output += chunk;
  for (const waiter of [...waiters]) waiter();
};
child.stdout.on("data", onData);
child.stderr.on("data", onData);
const waitFor = (pattern, from) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}\n${output}`)), 20_000);
    const check = () => {
      const match = pattern.exec(output.slice(from));
      if (!match) return;
      clearTimeout(timer);
      waiters.splice(waiters.indexOf(check), 1);
      resolve(match);
    };
    waiters.push(check);
    check();
  });

try {
  const [, url] = await waitFor(/Local:\s+(\S+)/, 0);
  const [, startup] = await waitFor(/ready in (\d+) ms/, 0);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // let the transform warm-up pass
  const times = [];
  const source = readFileSync(join(dir, "app.mjs"), "utf8");
  for (let i = 1; i <= edits; i++) {
    const from = output.length;
    writeFileSync(join(dir, "app.mjs"), source.replace("Hello from Nitro!", `Hello from Nitro! (edit ${i})`));
    const [, ms] = await waitFor(/reloaded in (\d+) ms/, from);
    const body = await (await fetch(`${url}api/hello`)).json();
    if (body.message !== `Hello from Nitro! (edit ${i})`) throw new Error(`edit ${i} not served: ${JSON.stringify(body)}`);
    times.push(Number(ms));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`showcase under nitrokit dev: start-up ${startup} ms; reload over ${edits} edits: median ${median} ms, min ${times[0]} ms, max ${times.at(-1)} ms`);
} finally {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(dir, { recursive: true, force: true });
}
