// The nitrokit-bare app, shared by the experiments.
import { createNitroApp } from "../../dist/index.js";
import { defineHandler } from "../../dist/h3.js";

export const app = createNitroApp();
app.get("/api/hello", defineHandler(() => ({ message: "Hello from Nitro!" })));
app.get("/api/users/:id", defineHandler((event) => ({ userId: event.context.params.id })));
