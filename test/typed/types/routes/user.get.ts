// A route module as the filesystem-routing helper would load it (for registry-types.test.ts).
import { z } from "zod";
import { defineTypedHandler } from "../../../../src/index.js";

export default defineTypedHandler({
  validate: { params: z.object({ id: z.coerce.number() }), query: z.object({ full: z.enum(["yes"]).optional() }) },
  handler: (_event, { params }) => ({ id: params.id, joined: new Date() }),
});
