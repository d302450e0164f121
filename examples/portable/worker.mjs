// A Workers module: bundle it (wrangler, or esbuild as test/runtimes does) with the
// nodejs_compat flag, a KV namespace bound as KV and a D1 database bound as DB.
import { toWorker } from "nitrokit/workers";
import { createPortableApp } from "./app.mjs";

export default toWorker(createPortableApp({
  storage: { data: { driver: "cloudflare-kv-binding", binding: "KV" } },
}));
