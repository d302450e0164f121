// A client of the todo API: typed from the app's routes, with nothing of the server in its code.
import { createClient } from "nitrokit/client";
import type { TodoApp } from "./app.js";

export function todoClient(baseURL: string) {
  return createClient<TodoApp>({ baseURL, retry: 0 });
}

/** Creates, completes and lists todos; every value is typed (`createdAt` arrives as a string). */
export async function demo(baseURL: string) {
  const api = todoClient(baseURL);
  const first = await api("/api/todos", { method: "POST", body: { title: "Write the docs" } });
  await api("/api/todos", { method: "POST", body: { title: "Ship it" } });
  const done = await api("/api/todos/:id", { method: "PATCH", pathParams: { id: first.id }, body: { done: true } });
  const open = await api("/api/todos", { query: { done: "false" } });
  return { first, done, open, createdYear: new Date(first.createdAt).getUTCFullYear() };
}
