// deno run -A examples/portable/deno.mjs   (after npm run build; PORT, HOST)
import { serve } from "nitrokit/deno";
import { createPortableApp } from "./app.mjs";

const app = createPortableApp();
await app.ready();
serve(app);
