// bun examples/portable/bun.mjs   (after npm run build; PORT, HOST)
import { serve } from "nitrokit/bun";
import { createPortableApp } from "./app.mjs";

const app = createPortableApp();
await app.ready();
// nativeRoutes: the static paths also go to Bun's own router (same answers; test/runtimes runs both).
serve(app, { nativeRoutes: process.env.PORTABLE_NATIVE_ROUTES === "1" });
