// Preloaded into a Bun server script by bench/bun-served.mjs (`bun --preload`): times the `fetch` every
// Bun.serve() of the process is given, on the real requests Bun hands it, with Bun.nanoseconds().
// SIGUSR2 prints `{"requests":…,"ns":…,"median":…,"async":…}` (one JSON line on stdout) and starts
// counting again: `ns` is the mean (garbage collection included, and whatever time the process lost
// to other processes mid-call), `median` the median call (20 ns buckets), which such losses hardly move.
//
// Only the synchronous part of each call is timed: an answer given as a Promise is counted in
// `async`, and its time after the call returned is not in `ns` (the orchestrator flags such runs).
let requests = 0;
let total = 0;
let asyncAnswers = 0;
const BUCKET_NS = 20;
const buckets = new Uint32Array(10_000);

function medianNs() {
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) if ((seen += buckets[i]) * 2 >= requests) return (i + 0.5) * BUCKET_NS;
  return buckets.length * BUCKET_NS;
}

const realServe = Bun.serve;
Bun.serve = function timedServe(options) {
  const fetch = options.fetch;
  if (typeof fetch === "function") {
    options.fetch = function timedFetch(request, server) {
      const start = Bun.nanoseconds();
      const answer = fetch.call(this, request, server);
      const spent = Bun.nanoseconds() - start;
      total += spent;
      requests++;
      buckets[Math.min(Math.floor(spent / BUCKET_NS), buckets.length - 1)]++;
      if (typeof answer?.then === "function") asyncAnswers++;
      return answer;
    };
  }
  return realServe.call(this, options);
};

process.on("SIGUSR2", () => {
  process.stdout.write(`${JSON.stringify({ requests, ns: requests ? total / requests : 0, median: requests ? medianNs() : 0, async: asyncAnswers })}\n`);
  buckets.fill(0);
  requests = 0;
  total = 0;
  asyncAnswers = 0;
});
