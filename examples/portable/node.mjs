// node examples/portable/node.mjs   (after npm run build; PORT, HOST)
import { serve } from "nitrokit/node";
import { createPortableApp } from "./app.mjs";

const app = createPortableApp();
await app.ready();
serve(app);
