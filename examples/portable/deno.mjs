// deno run -A examples/portable/deno.mjs   (after npm run build; PORT, HOST)
import { serve } from "nitrokit/deno";
import { createPortableApp } from "./app.mjs";

const app = createPortableApp();
await app.ready();
// PORTABLE_TRUST_PROXY=loopback: X-Forwarded-* from a proxy on this machine count (test/runtimes sets it).
serve(app, { trustProxy: Deno.env.get("PORTABLE_TRUST_PROXY") === "loopback" ? "loopback" : false });
