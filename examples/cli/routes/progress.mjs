import { defineHandler, getQuery } from "nitrokit/h3";
import { message } from "./hello.mjs";

const encoder = new TextEncoder();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// A long job reporting progress as NDJSON: one line at once, the result after `?ms=` (at most 10 s).
// Under `nitrokit dev`, a request like this one finishes on the version of the app that took it.
export const progress = defineHandler((event) => {
  const ms = Math.min(Number(getQuery(event).ms) || 1000, 10_000);
  const body = new ReadableStream({
    async start(controller) {
      controller.enqueue(encoder.encode(`${JSON.stringify({ step: "started" })}\n`));
      await sleep(ms);
      controller.enqueue(encoder.encode(`${JSON.stringify({ step: "done", waited: ms, message })}\n`));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
});
