/**
 * The task names `scheduledTasks` lists under `cron` (compared with runs of spaces
 * collapsed, as Cloudflare passes the expression written in the worker's triggers).
 * Entries are Nitro's `cron → name | names`, or `{ tasks }`.
 */
export function tasksForCron(scheduledTasks: Record<string, unknown> | undefined, cron: string): string[] {
  const wanted = normalizeCron(cron);
  const names = new Set<string>();
  for (const [expression, entry] of Object.entries(scheduledTasks ?? {})) {
    if (normalizeCron(expression) !== wanted) continue;
    const tasks = entry !== null && typeof entry === "object" && !Array.isArray(entry) ? (entry as { tasks?: unknown }).tasks : entry;
    for (const name of [tasks].flat()) if (typeof name === "string") names.add(name);
  }
  return [...names];
}

function normalizeCron(cron: string): string {
  return cron.trim().split(/\s+/).join(" ");
}
