import { connectors } from "db0";
import { describe, expect, it } from "vitest";
import { DB0_CONNECTOR_NAMES } from "../../src/database/connectors.js";

// createNitroApp() checks connector names without importing db0 (start-up cost): its copy of
// db0's list must stay the installed db0's, or a valid connector would be refused (or a bad one let through).
describe("db0 connector names", () => {
  it("are the installed db0's connectors, exactly", () => {
    expect([...DB0_CONNECTOR_NAMES].sort()).toEqual(Object.keys(connectors).sort());
  });
});
