import { afterAll, beforeAll, expect, it } from "vitest";
import { createNitroApp, type NitroApp } from "../../src/index.js";
import { defineHandler } from "../../src/h3.js";
import { useDatabase } from "../../src/database/index.js";
import { describeWithService, uniqueName } from "../fixtures/services.js";

/** The same CRUD round trip on any db0 connection. */
function crudSuite(getApp: () => NitroApp, connection: string) {
  const table = uniqueName("nk_users");

  afterAll(async () => {
    await getApp().database(connection).exec(`DROP TABLE IF EXISTS ${table}`);
  });

  it("creates, inserts with parameters, reads, updates and deletes", async () => {
    const db = getApp().database(connection);
    await db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, username VARCHAR(100) NOT NULL, email VARCHAR(200))`);
    const evil = "robert'); DROP TABLE students; --";
    await db.sql`INSERT INTO {${table}} (id, username, email) VALUES (${1}, ${evil}, ${"bobby@example.com"})`;
    await db.sql`INSERT INTO {${table}} (id, username, email) VALUES (${2}, ${"jane"}, ${"jane@example.com"})`;
    await db.sql`UPDATE {${table}} SET email = ${"j@example.com"} WHERE id = ${2}`;
    await db.sql`DELETE FROM {${table}} WHERE id = ${3}`;
    const { rows } = await db.sql`SELECT id, username, email FROM {${table}} ORDER BY id LIMIT 10`;
    expect(rows).toEqual([
      { id: 1, username: evil, email: "bobby@example.com" },
      { id: 2, username: "jane", email: "j@example.com" },
    ]);
  });

  it("serves the seed's users route from this connection", async () => {
    const app = getApp();
    app.get(`/api/${connection}/users`, defineHandler(async () => {
      const usersDb = useDatabase(connection);
      const { rows } = await usersDb.sql`SELECT id, username, email FROM {${table}} LIMIT 10`;
      return { users: rows };
    }));
    const { users } = await app.$fetch<{ users: unknown[] }>(`/api/${connection}/users`);
    expect(users).toHaveLength(2);
  });
}

describeWithService("POSTGRES", "db0 on a real PostgreSQL", (url) => {
  let app: NitroApp;
  beforeAll(async () => {
    app = createNitroApp({ database: { users: { connector: "postgresql", options: { url } } } });
    await app.ready();
  });
  afterAll(() => app?.close());
  crudSuite(() => app, "users");
});

describeWithService("MYSQL", "db0 on a real MariaDB/MySQL, configured as in the seed", (url) => {
  let app: NitroApp;
  beforeAll(async () => {
    const { hostname, port, username, password, pathname } = new URL(url);
    app = createNitroApp({
      database: {
        analytics: {
          connector: "mysql",
          options: { host: hostname, port: Number(port || 3306), database: pathname.slice(1), user: decodeURIComponent(username), password: decodeURIComponent(password) },
        },
      },
    });
    await app.ready();
  });
  afterAll(() => app?.close());
  crudSuite(() => app, "analytics");
});
