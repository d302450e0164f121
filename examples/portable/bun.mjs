// bun examples/portable/bun.mjs   (after npm run build; PORT, HOST)
import { serve } from "nitrokit/bun";
import { createPortableApp } from "./app.mjs";

const app = createPortableApp();
await app.ready();
// nativeRoutes: the static paths also go to Bun's own router (same answers; test/runtimes runs both).
// PORTABLE_TRUST_PROXY=loopback: X-Forwarded-* from a proxy on this machine count (test/runtimes sets it).
serve(app, { nativeRoutes: process.env.PORTABLE_NATIVE_ROUTES === "1", trustProxy: process.env.PORTABLE_TRUST_PROXY === "loopback" ? "loopback" : false });
