import { defineCommand } from "citty";
import { entryArg } from "../args.js";
import { renderTable } from "../table.js";
import { listRoutes, summarizeRules } from "../route-list.js";
import { runCommand } from "../run.js";
import { printJSON } from "../user-output.js";
import { withApp } from "../with-app.js";

export default defineCommand({
  meta: { name: "routes", description: "List the app's routes: method, path, handler, route rules, caching" },
  args: {
    ...entryArg,
    json: { type: "boolean", description: "Print the routes as JSON" },
  },
  run: ({ args }) =>
    runCommand(
      async () => {
        const rows = await withApp(args.entry, listRoutes);
        if (args.json) return printJSON(rows);
        if (rows.length === 0) return console.log("No routes registered.");
        const cells = rows.map((row) => [row.method, row.path, row.handler ?? "-", row.cached ? "yes" : "", summarizeRules(row.rules)]);
        console.log(renderTable(["METHOD", "PATH", "HANDLER", "CACHED", "RULES"], cells));
      },
      { exit: true },
    ),
});
