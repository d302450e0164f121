// tasks/db/migrate.ts
import { defineTask } from "nitrokit/task";

export default defineTask({
  meta: {
    name: "db:migrate",
    description: "Run database migrations"
  },
  async run({ payload, context }) {
    console.log("Starting database migration...");
    console.log("Payload:", payload);

    // Simulate migration steps
    const migrations = ["001_users", "002_posts", "003_comments"];
    const results = [];

    for (const migration of migrations) {
      console.log(`Running migration: ${migration}`);
      // Run actual migration logic here
      await new Promise(resolve => setTimeout(resolve, 1000));
      results.push({ migration, status: "success" });
    }

    return {
      success: true,
      migrationsRun: results.length,
      results
    };
  }
});
