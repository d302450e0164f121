import { connectorDependencies, connectors, createDatabase, dialectCapabilities, type Connector } from "db0";
import { describe, expect, it } from "vitest";
import { CONNECTOR_PROFILES, DB0_CONNECTOR_NAMES, DIALECT_CAPABILITIES, connectorTraits } from "../../src/database/connectors.js";

// createNitroApp() checks connector names without importing db0 (start-up cost), and a configured
// connection answers `dialect` and `capabilities` before its connector loads (on its first query):
// nitrokit's copy of what db0 says must stay the installed db0's.
describe("db0 connectors, as nitrokit knows them before loading db0", () => {
  it("are the installed db0's connectors, exactly", () => {
    expect([...DB0_CONNECTOR_NAMES].sort()).toEqual(Object.keys(connectors).sort());
  });

  it("name the client library db0 says each needs (checked in ready() without importing it)", () => {
    const ours = Object.fromEntries(Object.entries(CONNECTOR_PROFILES).flatMap(([name, profile]) => (profile.lib ? [[name, profile.lib]] : [])));
    const db0s = Object.fromEntries(Object.entries(connectorDependencies).map(([name, dependency]) => [name, dependency.lib.name]));
    expect(ours).toEqual(db0s);
  });

  it("give each dialect db0's capabilities", () => {
    expect(DIALECT_CAPABILITIES).toEqual(dialectCapabilities);
  });

  /** Options no connector acts on at creation: db0 connectors open nothing until their first query. */
  const HARMLESS_OPTIONS = { url: "http://127.0.0.1:1", connectionString: "postgresql://nobody@127.0.0.1:1/none", bindingName: "DB", name: ":memory:", path: ":memory:" };
  /** Connectors this runtime cannot load (Bun's built-in SQLite). */
  const OTHER_RUNTIMES = new Set(["bun", "bun-sqlite"]);

  it("give every connector this runtime loads the dialect and capabilities the loaded connector reports", async () => {
    const checked: string[] = [];
    for (const [name, specifier] of Object.entries(connectors)) {
      if (OTHER_RUNTIMES.has(name)) continue;
      const create = ((await import(specifier)) as { default: (options: Record<string, unknown>) => Connector }).default;
      const database = createDatabase(create(HARMLESS_OPTIONS));
      expect({ name, ...connectorTraits(name, HARMLESS_OPTIONS) }).toEqual({ name, dialect: database.dialect, capabilities: database.capabilities });
      checked.push(name);
    }
    // The SQL servers CI runs, the embedded SQLite of Node and libSQL at least.
    expect(checked).toEqual(expect.arrayContaining(["postgresql", "mysql2", "node-sqlite", "libsql-node", "planetscale", "cloudflare-d1"]));
    // libsql-core takes its overrides from its options, as db0 does.
    const core = ((await import(connectors["libsql-core"])) as { default: (options: Record<string, unknown>) => Connector }).default;
    const options = { getClient: () => ({}), capabilityOverrides: { transactions: false } };
    expect(connectorTraits("libsql-core", options).capabilities).toEqual(createDatabase(core(options)).capabilities);
  });
});
