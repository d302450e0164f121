// A typed API: validated input, results typed for clients, an OpenAPI document and reference page.
import { z } from "zod";
import { createNitroApp } from "nitrokit";
import { HTTPError } from "nitrokit/h3";

interface Todo {
  id: number;
  title: string;
  done: boolean;
  createdAt: Date;
}

const todoId = z.object({ id: z.coerce.number().int().positive() });

/** A todo API with its own in-memory store. Chained registrations give the app its route types. */
export function createTodoApp() {
  const todos = new Map<number, Todo>();
  let nextId = 1;
  const find = (id: number): Todo => {
    const todo = todos.get(id);
    if (!todo) throw new HTTPError({ status: 404, message: `No todo ${id}` });
    return todo;
  };

  return createNitroApp({ openAPI: { meta: { title: "Todos", version: "1.0.0" } } })
    .get("/api/todos", {
      validate: { query: z.object({ done: z.stringbool().optional() }) },
      meta: { openAPI: { summary: "List todos", tags: ["todos"] } },
      handler: (_event, { query }) => [...todos.values()].filter((todo) => query.done === undefined || todo.done === query.done),
    })
    .post("/api/todos", {
      validate: { body: z.object({ title: z.string().trim().min(1).max(200) }) },
      meta: { openAPI: { summary: "Create a todo", tags: ["todos"] } },
      handler: (_event, { body }) => {
        const todo: Todo = { id: nextId++, title: body.title, done: false, createdAt: new Date() };
        todos.set(todo.id, todo);
        return todo;
      },
    })
    .get("/api/todos/:id", {
      validate: { params: todoId },
      handler: (_event, { params }) => find(params.id),
    })
    .patch("/api/todos/:id", {
      validate: { params: todoId, body: z.object({ title: z.string().trim().min(1).optional(), done: z.boolean().optional() }) },
      handler: (_event, { params, body }) => Object.assign(find(params.id), body),
    })
    .delete("/api/todos/:id", {
      validate: { params: todoId, response: z.object({ deleted: z.number() }) },
      handler: (_event, { params }) => {
        find(params.id);
        todos.delete(params.id);
        return { deleted: params.id };
      },
    });
}

export const app = createTodoApp();
/** What clients import, as a type only: `createClient<TodoApp>()`. */
export type TodoApp = typeof app;
