/** What a task's `run` receives. */
export interface TaskEvent<P = Record<string, unknown>> {
  /** The name it was run under (`db:migrate`). */
  name: string;
  payload: P;
  /** Free-form context from the caller (the scheduler passes none, HTTP callers their own). */
  context: Record<string, unknown>;
}

/** A task, as `defineTask` returns it. */
export interface Task<R = unknown, P = Record<string, unknown>> {
  meta?: { name?: string; description?: string };
  run(event: TaskEvent<P>): R | Promise<R>;
}

/** Options of `runTask`. */
export interface RunTaskOptions<P = Record<string, unknown>> {
  payload?: P;
  context?: Record<string, unknown>;
}
