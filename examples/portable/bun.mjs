// bun examples/portable/bun.mjs   (after npm run build; PORT, HOST)
import { serve } from "nitrokit/bun";
import { createPortableApp } from "./app.mjs";

const app = createPortableApp();
await app.ready();
serve(app);
