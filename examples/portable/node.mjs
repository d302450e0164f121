// node examples/portable/node.mjs   (after npm run build; PORT, HOST)
import { serve } from "nitrokit/node";
import { createPortableApp } from "./app.mjs";

const app = createPortableApp();
await app.ready();
// PORTABLE_TRUST_PROXY=loopback: X-Forwarded-* from a proxy on this machine count (test/runtimes sets it).
serve(app, { trustProxy: process.env.PORTABLE_TRUST_PROXY === "loopback" ? "loopback" : false });
