import { defineHandler, HTTPError } from "nitrokit";
import { useStorage } from "nitrokit/storage";

export default defineHandler(async (event) => {
  const body: { text?: unknown } = await event.req.json().catch(() => ({}));
  if (typeof body.text !== "string" || body.text.length === 0) {
    throw new HTTPError("A note needs a non-empty `text`", { status: 400 });
  }
  const note = { id: crypto.randomUUID(), text: body.text };
  await useStorage("notes").setItem(note.id, note);
  event.res.status = 201;
  return note;
});
