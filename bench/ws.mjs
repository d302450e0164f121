#!/usr/bin/env node
// WebSocket broadcast throughput: one sender, N subscribers in a room, nitrokit vs bare crossws.
// Each round starts both servers fresh (pinned to core 0, the client on core 1), alternating
// their order; prints median deliveries/s per server and nitrokit ÷ crossws per round.
//
//   node bench/ws.mjs [--peers 1000] [--messages 500] [--rounds 5]
//
// The client half runs as this script too (`--client --port P`, on core 1).
import { spawn, execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFlags, positiveInt } from "./lib/args.mjs";

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseFlags(
  {
    peers: { type: "string", default: "1000" }, messages: { type: "string", default: "500" }, rounds: { type: "string", default: "5" },
    client: { type: "boolean", default: false }, port: { type: "string" },
  },
  [
    "usage: node bench/ws.mjs [--peers N=1000] [--messages N=500] [--rounds N=5]",
    "  (--client --port P: the client half, which the script starts itself)",
  ],
);
const args = {
  peers: positiveInt("--peers", values.peers),
  messages: positiveInt("--messages", values.messages),
  rounds: positiveInt("--rounds", values.rounds),
  client: values.client,
  port: values.client ? positiveInt("--port", values.port) : undefined,
};

if (args.client) await runClient(args.port, args.peers, args.messages);
else await main();

async function main() {
  if (!existsSync(join(here, "../dist/index.js"))) execFileSync("npm", ["run", "build"], { stdio: "inherit", cwd: join(here, "..") });
  const servers = ["nitrokit", "crossws"];
  const results = { nitrokit: [], crossws: [] };
  const ratios = [];
  console.log(`broadcast: 1 sender → ${args.peers} peers, ${args.messages} messages per round, ${args.rounds} rounds`);
  for (let round = 0; round < args.rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    const rate = {};
    for (const name of order) {
      const server = spawn("taskset", ["-c", "0", process.execPath, join(here, "ws-servers", `${name}.mjs`)], {
        env: { ...process.env, PORT: "0", NODE_ENV: "production" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      // A free port chosen by the OS: fixed ports collide with the client sockets' ephemeral ones.
      const port = await new Promise((resolve, reject) => {
        let out = "";
        server.stdout.on("data", (chunk) => {
          out += chunk;
          const match = /:(\d+)\/?\s*$/m.exec(out);
          if (match) resolve(match[1]);
        });
        server.once("exit", (code) => reject(new Error(`${name} exited (${code}) before listening`)));
      });
      let exit;
      server.once("exit", (code, signal) => (exit = { code, signal }));
      try {
        const { stdout: out } = await execFileAsync("taskset", ["-c", "1", process.execPath, fileURLToPath(import.meta.url), "--client", "--port", String(port), "--peers", String(args.peers), "--messages", String(args.messages)], { encoding: "utf8" }).catch((error) => {
          throw new Error(`${name} round ${round + 1}: ${error.message}${exit ? ` (server exited: ${JSON.stringify(exit)})` : ""}`);
        });
        rate[name] = JSON.parse(out.trim().split("\n").at(-1)).deliveriesPerSecond;
        results[name].push(rate[name]);
      } finally {
        server.kill("SIGKILL");
        await new Promise((resolve) => (exit ? resolve() : server.once("exit", resolve)));
      }
    }
    ratios.push(rate.nitrokit / rate.crossws);
    console.log(`round ${round + 1}: nitrokit ${fmt(rate.nitrokit)}/s · crossws ${fmt(rate.crossws)}/s · ratio ${ratios.at(-1).toFixed(2)}`);
  }
  console.log(`\nmedian deliveries/s: nitrokit ${fmt(median(results.nitrokit))} · crossws ${fmt(median(results.crossws))}`);
  console.log(`nitrokit ÷ crossws: median ${median(ratios).toFixed(2)} (per round ${ratios.map((r) => r.toFixed(2)).join(", ")})`);
}

async function runClient(port, peers, messages) {
  const { default: WebSocket } = await import("ws");
  const url = `ws://127.0.0.1:${port}/_ws`;
  const open = () =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once("open", () => resolve(ws));
      ws.on("error", reject);
    });
  const sender = await open();
  const receivers = [];
  for (let i = 0; i < peers; i += 50) receivers.push(...(await Promise.all(Array.from({ length: Math.min(50, peers - i) }, () => open()))));
  // The room is complete once every receiver has heard a probe (resent until then).
  const heard = receivers.map((ws) => new Promise((resolve) => ws.once("message", resolve)));
  const probing = setInterval(() => sender.send("probe"), 100);
  sender.send("probe");
  await Promise.all(heard);
  clearInterval(probing);
  await new Promise((resolve) => setTimeout(resolve, 300)); // let stray probes land
  let remaining = receivers.length * messages;
  const done = new Promise((resolve) => {
    for (const ws of receivers) {
      ws.on("message", (data) => {
        if (String(data) !== "probe" && --remaining === 0) resolve();
      });
    }
  });
  const payload = JSON.stringify({ type: "message", text: "x".repeat(64) });
  const t0 = performance.now();
  for (let i = 0; i < messages; i++) sender.send(payload);
  await done;
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ deliveriesPerSecond: Math.round((receivers.length * messages) / seconds), seconds }));
  process.exit(0);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
function fmt(n) {
  return Math.round(n).toLocaleString("en-US");
}
