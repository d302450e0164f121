// Compile time of typed routes: `tsc --noEmit` over a generated app with N chained,
// validated routes, for N = 20 and N = 200, against nitrokit's published declarations
// (dist/*.d.ts, as users get them). Two programs per size: the app alone, and the app plus
// one typed call per route through createClient and one through app.$fetch (2N calls).
// Runs are interleaved; prints medians of wall time and of tsc's own "Check time", the
// type instantiation count (deterministic, so comparable across machines), and ratios 200/20.
//
//   node bench/types.mjs [--runs 3] [--sizes 20,200] [--build] [--keep]
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { commaList, parseFlags, positiveInt } from "./lib/args.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseFlags(
  { runs: { type: "string", default: "3" }, sizes: { type: "string", default: "20,200" }, build: { type: "boolean", default: false }, keep: { type: "boolean", default: false } },
  "node bench/types.mjs [--runs 3] [--sizes 20,200] [--build] [--keep]",
);
const runs = positiveInt("--runs", values.runs);
const sizes = commaList(values.sizes).map((size) => positiveInt("--sizes", size));
if (!sizes.length) throw new Error("--sizes expects positive integers (20,200)");

if (values.build || !existsSync(join(root, "dist/index.d.ts")) || !existsSync(join(root, "dist/client.d.ts"))) {
  console.log("building (npm run build)…");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
}

/** One route of each kind in turn: validated params+query, validated body, a response schema, a plain handler. */
function route(i) {
  switch (i % 4) {
    case 0:
      return `.get("/api/r${i}/:id", {
    validate: { params: z.object({ id: z.coerce.number() }), query: z.object({ page: z.coerce.number().optional(), q: z.string().optional() }) },
    handler: (_event, { params, query }) => ({ id: params.id, page: query.page ?? 1, at: new Date() }),
  })`;
    case 1:
      return `.post("/api/r${i}", {
    validate: { body: z.object({ name: z.string().min(1), tags: z.array(z.string()).default([]) }) },
    handler: async (_event, { body }) => ({ created: body.name, tags: body.tags }),
  })`;
    case 2:
      return `.put("/api/r${i}/:id", {
    validate: { body: z.object({ done: z.boolean() }), response: z.object({ ok: z.boolean(), id: z.string() }) },
    handler: (_event, { params }) => ({ ok: true, id: params.id }),
  })`;
    default:
      return `.get("/api/r${i}/items/:item", defineHandler((event) => ({ item: event.context.params?.item ?? "", n: ${i} })))`;
  }
}

function call(i, target) {
  switch (i % 4) {
    case 0:
      return `  const r${i} = await ${target}("/api/r${i}/${i}", { query: { page: 2 } }); r${i}.at.toUpperCase();`;
    case 1:
      return `  const r${i} = await ${target}("/api/r${i}", { method: "POST", body: { name: "x" } }); r${i}.created.toUpperCase();`;
    case 2:
      return `  const r${i} = await ${target}("/api/r${i}/:id", { method: "PUT", pathParams: { id: ${i} }, body: { done: true } }); r${i}.id.toUpperCase();`;
    default:
      return `  const r${i} = await ${target}("/api/r${i}/items/a"); r${i}.item.toUpperCase();`;
  }
}

function generate(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const routes = Array.from({ length: n }, (_, i) => route(i)).join("\n  ");
  writeFileSync(
    join(dir, "app.ts"),
    `import { z } from "zod";
import { createNitroApp } from "nitrokit";
import { defineHandler } from "nitrokit/h3";

export const app = createNitroApp()
  ${routes};
`,
  );
  const calls = (target) => Array.from({ length: n }, (_, i) => call(i, target)).join("\n");
  writeFileSync(
    join(dir, "calls.ts"),
    `import { createClient } from "nitrokit/client";
import { app } from "./app.js";

const api = createClient<typeof app>({ baseURL: "http://localhost:3000" });
export async function viaClient() {
${calls("api")}
}
export async function inProcess() {
${calls("app.$fetch")}
}
`,
  );
  const dist = (file) => join(root, "dist", file);
  const tsconfig = (files) => ({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2023", "DOM"],
        types: [],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        paths: { nitrokit: [dist("index.d.ts")], "nitrokit/h3": [dist("h3.d.ts")], "nitrokit/client": [dist("client.d.ts")] },
      },
      files,
  });
  writeFileSync(join(dir, "tsconfig.app.json"), JSON.stringify(tsconfig(["app.ts"])));
  writeFileSync(join(dir, "tsconfig.calls.json"), JSON.stringify(tsconfig(["app.ts", "calls.ts"])));
}

function compile(project) {
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const started = process.hrtime.bigint();
  let output;
  try {
    output = execFileSync(process.execPath, [tsc, "-p", project, "--extendedDiagnostics"], { encoding: "utf8" });
  } catch (error) {
    console.error(String(error.stdout).slice(0, 4000));
    throw new Error(`tsc failed on the generated program ${project}`);
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const check = Number(/Check time:\s+([\d.]+)s/.exec(output)?.[1]);
  const instantiations = Number(/Instantiations:\s+(\d+)/.exec(output)?.[1]);
  return { wall, check, instantiations };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// Inside the project, so that "zod" resolves from its node_modules.
const work = join(root, "node_modules/.cache/nitrokit-bench-types");
const programs = ["app", "calls"];
const results = new Map();
for (const n of sizes) {
  generate(join(work, String(n)), n);
  for (const program of programs) results.set(`${n}:${program}`, []);
}
// Interleaved, so that a slower moment of the machine hits every size alike.
for (let round = 0; round < runs; round++) {
  for (const n of sizes) {
    for (const program of programs) results.get(`${n}:${program}`).push(compile(join(work, String(n), `tsconfig.${program}.json`)));
  }
}
const summary = (n, program) => {
  const list = results.get(`${n}:${program}`);
  return {
    wall: median(list.map((r) => r.wall)),
    check: median(list.map((r) => r.check)),
    instantiations: list[0].instantiations,
  };
};
console.log(`tsc --noEmit over generated typed apps, median of ${runs} interleaved runs`);
console.log("  app   = the chained app alone; calls = the app plus 2 typed calls per route (createClient and app.$fetch)");
for (const n of sizes) {
  for (const program of programs) {
    const { wall, check, instantiations } = summary(n, program);
    console.log(`  ${String(n).padStart(4)} routes, ${program.padEnd(5)}: ${wall.toFixed(2)} s wall, ${check.toFixed(2)} s check, ${instantiations} type instantiations`);
  }
}
if (sizes.length === 2) {
  const [small, large] = sizes;
  for (const program of programs) {
    const a = summary(small, program);
    const b = summary(large, program);
    console.log(
      `  ratio ${large}/${small} (${program}): wall ${(b.wall / a.wall).toFixed(2)}×, check ${(b.check / a.check).toFixed(2)}×, instantiations ${(b.instantiations / a.instantiations).toFixed(2)}×`,
    );
  }
}
if (!values.keep) rmSync(work, { recursive: true, force: true });
