import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineHandler } from "../../src/h3.js";
import { useDatabase } from "../../src/database/index.js";
import { embeddedSqliteConnector } from "../../src/database/connectors.js";
import { appsClosedAfterEach } from "../helpers.js";

let rootDir: string;
beforeEach(async () => {
  rootDir = await mkdtemp(join(tmpdir(), "nitrokit-db-"));
});
afterEach(async () => {
  await rm(rootDir, { recursive: true, force: true });
});
// Registered after the cleanup above, so (after-hooks running in reverse) apps close before their directory goes.
const makeApp = appsClosedAfterEach(() => ({ rootDir }));

describe("useDatabase() on the embedded SQLite", () => {
  it(`runs the seed's products route on ${embeddedSqliteConnector()} in <rootDir>/.data/db.sqlite`, async () => {
    const app = makeApp();
    app.get("/api/products", defineHandler(async () => {
      const db = useDatabase();
      await db.sql`CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL NOT NULL, category TEXT)`;
      const productId = Math.floor(Math.random() * 10000);
      const productName = "Laptop Pro";
      const price = 1299.99;
      await db.sql`INSERT INTO products (id, name, price, category) VALUES (${productId}, ${productName}, ${price}, 'electronics')`;
      const { rows } = await db.sql`SELECT * FROM products WHERE category = 'electronics' AND price > 1000 ORDER BY price DESC`;
      return { message: "Database operations completed", products: rows, count: rows!.length };
    }));
    const first = await app.$fetch<{ count: number; products: Array<{ name: string; price: number }> }>("/api/products");
    expect(first.count).toBe(1);
    expect(first.products[0]).toMatchObject({ name: "Laptop Pro", price: 1299.99, category: "electronics" });
    expect((await app.$fetch<{ count: number }>("/api/products")).count).toBe(2);
    expect(existsSync(join(rootDir, ".data/db.sqlite"))).toBe(true);
  });

  it("passes template values as parameters: an injection attempt is stored as data", async () => {
    const app = makeApp();
    await app.ready();
    const db = app.database();
    await db.sql`CREATE TABLE users (name TEXT)`;
    const evil = "x'); DROP TABLE users; --";
    await db.sql`INSERT INTO users (name) VALUES (${evil})`;
    const { rows } = await db.sql`SELECT name FROM users WHERE name = ${evil}`;
    expect(rows).toEqual([{ name: evil }]);
    expect((await db.sql`SELECT count(*) AS n FROM users`).rows).toEqual([{ n: 1 }]);
  });

  it("reuses one connection per name and serves several configured connections", async () => {
    const app = makeApp({ database: { analytics: { connector: "sqlite", options: { name: "analytics" } } } });
    await app.ready();
    expect(app.database("analytics")).toBe(app.database("analytics"));
    await app.database("analytics").sql`CREATE TABLE events (kind TEXT)`;
    await app.database("analytics").sql`INSERT INTO events VALUES (${"click"})`;
    expect((await app.database("analytics").sql`SELECT kind FROM events`).rows).toEqual([{ kind: "click" }]);
    // The default connection is a different file.
    await expect(app.database().sql`SELECT * FROM events`).rejects.toThrow(/no such table/);
    expect(existsSync(join(rootDir, ".data/analytics.sqlite"))).toBe(true);
  });

  it("opens nothing for an app that never uses SQL", async () => {
    const app = makeApp();
    await app.ready();
    await app.close();
    expect(existsSync(join(rootDir, ".data/db.sqlite"))).toBe(false);
  });

  it("serves the implicit default before its connector has loaded: prepared statements, dialect, capabilities", async () => {
    const app = makeApp();
    await app.ready();
    const db = app.database();
    // Known from the connector's name before the first query loads it, and unchanged after.
    const before = { connector: db.connector, dialect: db.dialect, capabilities: db.capabilities };
    const insert = db.prepare("INSERT INTO notes (body) VALUES (?)");
    await db.exec("CREATE TABLE notes (body TEXT)");
    await insert.run("first");
    await insert.bind("second").run();
    expect(await db.prepare("SELECT body FROM notes ORDER BY body").all()).toEqual([{ body: "first" }, { body: "second" }]);
    expect(await db.prepare("SELECT count(*) AS n FROM notes WHERE body = ?").get("first")).toEqual({ n: 1 });
    expect({ connector: db.connector, dialect: db.dialect, capabilities: db.capabilities }).toEqual(before);
    expect(before.connector).toBe(embeddedSqliteConnector());
    expect(await db.getInstance()).toBeTruthy();
  });

  it("closes the implicit default whether it was opened or not; a closed one refuses queries", async () => {
    const unused = makeApp();
    await unused.ready();
    const idle = unused.database();
    await unused.close();
    expect(idle.disposed).toBe(true);
    await expect(idle.sql`SELECT 1`).rejects.toThrow(/disposed/);
    expect(existsSync(join(rootDir, ".data/db.sqlite"))).toBe(false);
  });

  it("uses the implicit default before ready()", async () => {
    const app = makeApp();
    expect((await app.database().sql`SELECT 1 AS one`).rows).toEqual([{ one: 1 }]);
  });

  it("throws a clear error for an unconfigured connection", async () => {
    const app = makeApp();
    await app.ready();
    expect(() => app.database("users")).toThrow(/useDatabase\('users'\): no such connection. Configured: default/);
  });

  it("fails at creation for an unknown connector, and at ready() for a missing client package", async () => {
    expect(() => makeApp({ database: { x: { connector: "oracle" } } })).toThrow(/Database 'x': unknown connector 'oracle'/);
    const app = makeApp({ database: { edge: { connector: "neon", options: { url: "postgres://x" } } } });
    await expect(app.ready()).rejects.toThrow(/Database 'edge' \(neon\): It needs the package '@neondatabase\/serverless': npm install @neondatabase\/serverless/);
    // Where ready() was not awaited (or the runtime cannot resolve without importing), the first query says the same.
    const unready = makeApp({ database: { edge: { connector: "neon", options: { url: "postgres://x" } } } });
    await expect(unready.database("edge").sql`SELECT 1`).rejects.toThrow(/Database 'edge' \(neon\): It needs the package '@neondatabase\/serverless'/);
  });

  it("closes connections on app.close()", async () => {
    const app = makeApp();
    await app.ready();
    const db = app.database();
    await db.sql`SELECT 1`;
    await app.close();
    expect(db.disposed).toBe(true);
  });
});
