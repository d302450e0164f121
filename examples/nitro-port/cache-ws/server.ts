import { Hono } from "hono";

const app = new Hono();

app.get("/hono/hello", (c) => c.text("Hello from Hono inside Nitro"));

export default app;
