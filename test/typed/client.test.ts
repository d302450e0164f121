import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { FetchError } from "ofetch";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { createClient } from "../../src/client.js";
import type { NitroNodeServer } from "../../src/adapters/node.js";
import { serveOnLoopback } from "../helpers.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function notesApp() {
  const notes = new Map<number, { id: number; text: string; createdAt: Date }>();
  return createNitroApp({ baseURL: "/v1" })
    .post("/api/notes", {
      validate: { body: z.object({ text: z.string().min(1) }) },
      handler: (_event, { body }) => {
        const note = { id: notes.size + 1, text: body.text, createdAt: new Date("2025-01-01T00:00:00Z") };
        notes.set(note.id, note);
        return note;
      },
    })
    .get("/api/notes/:id", {
      validate: { params: z.object({ id: z.coerce.number() }) },
      handler: (_event, { params }) => notes.get(params.id) ?? null,
    })
    .get("/api/notes", {
      validate: { query: z.object({ q: z.string().optional() }) },
      handler: (_event, { query }) => [...notes.values()].filter((note) => !query.q || note.text.includes(query.q)),
    });
}

async function serve(app: NitroApp): Promise<{ server: NitroNodeServer; base: string }> {
  const served = await serveOnLoopback(app);
  closers.push(() => served.server.close());
  return served;
}

describe("createClient (nitrokit/client)", () => {
  it("calls a served app over HTTP with the app's paths, path params, bodies and queries", async () => {
    const app = notesApp();
    const { base } = await serve(app);
    const api = createClient<typeof app>({ baseURL: `${base}/v1` });
    const created = await api("/api/notes", { method: "POST", body: { text: "buy milk" } });
    expect(created).toEqual({ id: 1, text: "buy milk", createdAt: "2025-01-01T00:00:00.000Z" });
    expect(await api("/api/notes/:id", { pathParams: { id: created.id } })).toEqual(created);
    expect(await api(`/api/notes/${created.id}`)).toEqual(created);
    expect(await api("/api/notes", { query: { q: "milk" } })).toEqual([created]);
    expect(await api("/api/notes", { query: { q: "bread" } })).toEqual([]);
    const raw = await api.raw("/api/notes/1");
    expect(raw.status).toBe(200);
  });

  it("surfaces validation errors as ofetch's FetchError with the issues", async () => {
    const app = notesApp();
    const { base } = await serve(app);
    const api = createClient<typeof app>({ baseURL: `${base}/v1`, retry: 0 });
    // @ts-expect-error: the types refuse a number; sent anyway, the server answers 400
    const error = await api("/api/notes", { method: "POST", body: { text: 42 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).status).toBe(400);
    expect((error as FetchError).data.data.issues).toEqual([{ source: "body", path: ["text"], message: expect.any(String) }]);
  });

  it("serves requests in-process when given the app's fetch", async () => {
    const app = notesApp();
    closers.push(() => app.close());
    const api = createClient<typeof app>({ baseURL: "http://localhost/v1", fetch: app.fetch });
    expect(await api("/api/notes", { method: "POST", body: { text: "x" } })).toMatchObject({ id: 1, text: "x" });
  });
});
