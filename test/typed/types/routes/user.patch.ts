import { defineHandler, type H3Event } from "../../../../src/h3.js";

// A plain h3 handler whose request type declares its body: the registry types that too.
export default defineHandler(async (event: H3Event<{ body: { name: string } }>) => ({ renamed: (await event.req.json()).name }));
