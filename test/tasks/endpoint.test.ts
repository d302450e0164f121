import { describe, expect, it, vi } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineTask } from "../../src/tasks/index.js";
import { HTTPError } from "../../src/h3.js";
import { appsClosedAfterEach, json, request, serveOnLoopback } from "../helpers.js";

const TOKEN = "t0k3n-for-tests-0123456789abcdef";
const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });
const makeApp = appsClosedAfterEach();

// The seed's db:migrate, with the steps shortened, echoing its payload.
const migrate = defineTask({
  meta: { name: "db:migrate", description: "Run database migrations" },
  async run({ payload }) {
    const results = ["001_users", "002_posts", "003_comments"].map((migration) => ({ migration, status: "success" }));
    return { success: true, migrationsRun: results.length, results, payload };
  },
});

function appWithTasks(config: Parameters<typeof makeApp>[0] = { tasksEndpoint: { token: TOKEN } }): NitroApp {
  return makeApp(config)
    .task("db:migrate", migrate)
    .task("cache:clear", defineTask({ run: () => undefined }))
    .task("fail", defineTask({ run: () => { throw new Error("secret connection string leaked"); } }));
}

describe("tasks endpoint: off by default, refused without a check", () => {
  it("is not served unless tasksEndpoint is set", async () => {
    const app = appWithTasks({});
    expect((await request(app, "/_nitro/tasks")).status).toBe(404);
    expect((await request(app, "/_nitro/tasks/db:migrate", { method: "POST" })).status).toBe(404);
  });

  it("refuses to start enabled with no token, no authorize and no insecure opt-in", () => {
    expect(() => createNitroApp({ tasksEndpoint: {} })).toThrow(/tasksEndpoint: the tasks endpoint runs any task: set `token` and\/or `authorize`/);
    expect(() => createNitroApp({ tasksEndpoint: { insecure: false } })).toThrow(/tasksEndpoint/);
  });

  it("refuses a short token and wrong types, naming the key", () => {
    expect(() => createNitroApp({ tasksEndpoint: { token: "secret" } })).toThrow(/tasksEndpoint\.token: must be at least 16 characters/);
    expect(() => createNitroApp({ tasksEndpoint: { authorize: "yes" as never } })).toThrow(/tasksEndpoint\.authorize: expected a function/);
  });

  it("serves without any check only with an explicit insecure: true", async () => {
    const app = appWithTasks({ tasksEndpoint: { insecure: true } });
    expect((await request(app, "/_nitro/tasks")).status).toBe(200);
  });
});

describe("tasks endpoint: authorisation", () => {
  it("answers 401 with WWW-Authenticate: Bearer without credentials (and for another scheme)", async () => {
    const app = appWithTasks();
    for (const headers of [{} as Record<string, string>, { authorization: `Basic ${btoa("admin:admin")}` }, { authorization: "Bearer" }]) {
      const res = await request(app, "/_nitro/tasks", { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
      expect(await res.json()).toMatchObject({ status: 401, message: "The tasks endpoint needs `Authorization: Bearer <token>`." });
    }
    const post = await request(app, "/_nitro/tasks/db:migrate", { method: "POST" });
    expect(post.status).toBe(401);
  });

  it("answers 403 to a wrong token, of any length, and runs nothing", async () => {
    let runs = 0;
    const app = appWithTasks().task("count", defineTask({ run: () => ++runs }));
    for (const token of ["wrong", `${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toUpperCase()]) {
      const res = await request(app, "/_nitro/tasks/count", { method: "POST", headers: bearer(token) });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ status: 403, message: "The bearer token is not valid for the tasks endpoint." });
    }
    expect(runs).toBe(0);
    const ok = await request(app, "/_nitro/tasks/count", { method: "POST", headers: { authorization: `bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(runs).toBe(1);
  });

  it("checks an authorize predicate (sync or async) with the event: false → 403", async () => {
    const authorize = vi.fn(async (event: { req: Request }) => event.req.headers.get("x-role") === "admin");
    const app = appWithTasks({ tasksEndpoint: { authorize } });
    expect((await request(app, "/_nitro/tasks", { headers: { "x-role": "user" } })).status).toBe(403);
    expect((await request(app, "/_nitro/tasks", { headers: { "x-role": "admin" } })).status).toBe(200);
    expect(authorize).toHaveBeenCalledTimes(2);
  });

  it("with token and authorize, both must pass; a predicate may throw its own HTTPError", async () => {
    const app = appWithTasks({
      tasksEndpoint: {
        token: TOKEN,
        authorize: (event) => {
          if (event.req.headers.get("x-mfa") === "missing") throw new HTTPError({ status: 401, message: "Second factor required" });
          return event.req.headers.get("x-mfa") === "ok";
        },
      },
    });
    expect((await request(app, "/_nitro/tasks", { headers: { "x-mfa": "ok" } })).status).toBe(401);
    expect((await request(app, "/_nitro/tasks", { headers: { ...bearer(), "x-mfa": "no" } })).status).toBe(403);
    const mfa = await request(app, "/_nitro/tasks", { headers: { ...bearer(), "x-mfa": "missing" } });
    expect([mfa.status, (await mfa.json()).message]).toEqual([401, "Second factor required"]);
    expect((await request(app, "/_nitro/tasks", { headers: { ...bearer(), "x-mfa": "ok" } })).status).toBe(200);
  });

  it("checks authorisation before looking the task up: no probing of task names", async () => {
    const app = appWithTasks();
    expect((await request(app, "/_nitro/tasks/no:such", { method: "POST" })).status).toBe(401);
    expect((await request(app, "/_nitro/tasks/no:such", { method: "POST", headers: bearer("nope") })).status).toBe(403);
  });
});

describe("tasks endpoint: listing and running", () => {
  it("GET lists tasks with descriptions and the schedule with time zone and next run", async () => {
    const app = appWithTasks({
      tasksEndpoint: { token: TOKEN },
      scheduler: { timezone: "UTC" },
      scheduledTasks: { "30 2 * * *": ["db:migrate", "cache:clear"], "0 9 * * 1": { tasks: "db:migrate", timezone: "America/New_York" } },
    });
    const res = await request(app, "/_nitro/tasks", { headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body.tasks).toEqual({
      "db:migrate": { description: "Run database migrations" },
      "cache:clear": { description: "" },
      fail: { description: "" },
    });
    expect(body.scheduledTasks).toEqual([
      { cron: "30 2 * * *", tasks: ["db:migrate", "cache:clear"], timezone: "UTC", nextRun: expect.stringMatching(/T02:30:00\.000Z$/) },
      { cron: "0 9 * * 1", tasks: ["db:migrate"], timezone: "America/New_York", nextRun: expect.stringMatching(/T1[34]:00:00\.000Z$/) },
    ]);
    const nextRun = Date.parse(body.scheduledTasks[0].nextRun);
    expect(nextRun).toBeGreaterThan(Date.now());
    expect(nextRun - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    expect(new Date(body.scheduledTasks[1].nextRun).getUTCDay()).toBe(1); // a Monday
  });

  it("POST runs the task with the query merged with the JSON body (body wins) and returns its result", async () => {
    const app = appWithTasks();
    const res = await request(app, "/_nitro/tasks/db:migrate?dryRun=1&triggeredBy=query", json({ triggeredBy: "admin", steps: [1, 2] }, "POST", bearer()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      migrationsRun: 3,
      results: expect.any(Array),
      payload: { dryRun: "1", triggeredBy: "admin", steps: [1, 2] },
    });
    // No body at all: the query alone; an encoded name is decoded.
    const bare = await request(app, "/_nitro/tasks/db%3Amigrate?x=y", { method: "POST", headers: bearer() });
    expect((await bare.json()).payload).toEqual({ x: "y" });
  });

  it("GET /_nitro/tasks/:name runs the task with the query as payload (a repeated key is an array), as Nitro", async () => {
    const app = appWithTasks();
    const res = await request(app, "/_nitro/tasks/db:migrate?field=value&array=1&array=2", { headers: bearer() });
    expect(res.status).toBe(200);
    expect((await res.json()).payload).toEqual({ field: "value", array: ["1", "2"] });
    // Still behind the check, and an unknown task is still a 404.
    expect((await request(app, "/_nitro/tasks/db:migrate")).status).toBe(401);
    expect((await request(app, "/_nitro/tasks/db:nope", { headers: bearer() })).status).toBe(404);
  });

  it("POST reads the body's `payload` object (as `nitro task run` sends it) over the query, else the whole body", async () => {
    const app = appWithTasks();
    const nested = await request(app, "/_nitro/tasks/db:migrate?field=value", json({ payload: { answer: 42, nested: { value: true }, field: "body" } }, "POST", bearer()));
    expect((await nested.json()).payload).toEqual({ field: "body", answer: 42, nested: { value: true } });
    const withName = await request(app, "/_nitro/tasks/db:migrate", json({ name: "db:migrate", payload: { by: "cli" } }, "POST", bearer()));
    expect((await withName.json()).payload).toEqual({ by: "cli" });
    const bad = await request(app, "/_nitro/tasks/db:migrate", json({ payload: [1, 2] }, "POST", bearer()));
    expect([bad.status, (await bad.json()).message]).toEqual([400, "The body's `payload` must be a JSON object."]);
  });

  it("lists a lazily registered task's description before its first run", async () => {
    const { registerRoutes } = await import("../../src/routing/index.js");
    const app = appWithTasks();
    registerRoutes(app, { "./tasks/report/weekly.ts": async () => ({ default: defineTask({ meta: { description: "Weekly report" }, run: () => "sent" }) }) });
    const body = await (await request(app, "/_nitro/tasks", { headers: bearer() })).json();
    expect(body.tasks["report:weekly"]).toEqual({ description: "Weekly report" });
  });

  it("answers JSON null for a task that returns nothing", async () => {
    const res = await request(appWithTasks(), "/_nitro/tasks/cache:clear", { method: "POST", headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe("null");
  });

  it("404 for an unknown task, 405 for another method, 400 for bad JSON or a body that is not an object", async () => {
    const app = appWithTasks();
    const unknown = await request(app, "/_nitro/tasks/db:nope", { method: "POST", headers: bearer() });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).message).toMatch(/^Task 'db:nope' is not registered\. Registered: db:migrate, cache:clear, fail\.$/);
    expect((await request(app, "/_nitro/tasks/db:migrate", { method: "DELETE", headers: bearer() })).status).toBe(405);
    const broken = await request(app, "/_nitro/tasks/db:migrate", { method: "POST", headers: { ...bearer(), "content-type": "application/json" }, body: "{broken" });
    expect([broken.status, (await broken.json()).message]).toEqual([400, "Invalid JSON body"]);
    for (const body of ["[1,2]", "42", '"text"', "null"]) {
      const res = await request(app, "/_nitro/tasks/db:migrate", { method: "POST", headers: { ...bearer(), "content-type": "application/json" }, body });
      expect([res.status, (await res.json()).message]).toEqual([400, "The task payload must be a JSON object."]);
    }
  });

  it("a failing task is a 500 without message or stack in production, reported to the error hook as a task error", async () => {
    const app = appWithTasks();
    const reported: string[] = [];
    app.hooks.hook("error", (error, { tags }) => void reported.push(`${tags.join(",")}:${error.message}`));
    vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await request(app, "/_nitro/tasks/fail", { method: "POST", headers: bearer() });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: true, status: 500, unhandled: true, message: "Internal Server Error" });
    expect(text).not.toMatch(/secret|stack|at /);
    expect(reported).toContain("task,fail:secret connection string leaked");
  });

  it("shows the failing task's message and stack with dev: true", async () => {
    const app = appWithTasks({ dev: true, tasksEndpoint: { token: TOKEN } });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const body = await (await request(app, "/_nitro/tasks/fail", { method: "POST", headers: bearer() })).json();
    expect(body.message).toBe("secret connection string leaked");
    expect(body.stack.length).toBeGreaterThan(0);
  });

  it("lives under baseURL", async () => {
    const app = appWithTasks({ baseURL: "/app", tasksEndpoint: { token: TOKEN } });
    expect((await request(app, "/app/_nitro/tasks", { headers: bearer() })).status).toBe(200);
    expect((await request(app, "/_nitro/tasks", { headers: bearer() })).status).toBe(404);
    const res = await request(app, "/app/_nitro/tasks/db:migrate", json({ by: "base" }, "POST", bearer()));
    expect((await res.json()).payload).toEqual({ by: "base" });
  });

  it("works over real HTTP on loopback", async () => {
    const app = appWithTasks();
    const { server, base } = await serveOnLoopback(app);
    try {
      const denied = await fetch(`${base}/_nitro/tasks`);
      expect(denied.status).toBe(401);
      expect(denied.headers.get("www-authenticate")).toMatch(/^Bearer/);
      await denied.arrayBuffer();
      const list = await fetch(`${base}/_nitro/tasks`, { headers: bearer() });
      expect(Object.keys((await list.json()).tasks)).toEqual(["db:migrate", "cache:clear", "fail"]);
      const run = await fetch(`${base}/_nitro/tasks/db:migrate?from=http`, json({ triggeredBy: "curl" }, "POST", bearer()));
      expect(await run.json()).toMatchObject({ success: true, migrationsRun: 3, payload: { from: "http", triggeredBy: "curl" } });
    } finally {
      await server.close();
    }
  });
});
