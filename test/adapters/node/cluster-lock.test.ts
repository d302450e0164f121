/**
 * The primary's lock table, which every cluster worker's task lock asks over IPC
 * (end to end: the schedule test in cluster.test.ts). Here: its rules, with a clock.
 */
import { describe, expect, it } from "vitest";
import { LockTable } from "../../../src/server/cluster/lock-table.js";

describe("the cluster primary's lock table", () => {
  it("gives a key to one holder until it is released or expires", () => {
    const table = new LockTable();
    expect(table.apply("acquire", "run:a", "w1", 1000, 1, 0)).toBe(true);
    expect(table.apply("acquire", "run:a", "w2", 1000, 2, 10)).toBe(false);
    // Another holder's token releases nothing.
    table.apply("release", "run:a", "w2", 0, 2, 20);
    expect(table.apply("acquire", "run:a", "w2", 1000, 2, 30)).toBe(false);
    table.apply("release", "run:a", "w1", 0, 1, 40);
    expect(table.apply("acquire", "run:a", "w2", 1000, 2, 50)).toBe(true);
    // Expired: free again.
    expect(table.apply("acquire", "run:a", "w3", 1000, 3, 1050)).toBe(true);
  });

  it("extends only a live hold of the same token", () => {
    const table = new LockTable();
    table.apply("acquire", "run:a", "w1", 1000, 1, 0);
    expect(table.apply("extend", "run:a", "w1", 1000, 1, 900)).toBe(true);
    expect(table.apply("acquire", "run:a", "w2", 1000, 2, 1500)).toBe(false);
    expect(table.apply("extend", "run:a", "w2", 1000, 2, 1600)).toBe(false);
    expect(table.apply("extend", "run:a", "w1", 1000, 1, 2000)).toBe(false); // expired at 1900
  });

  it("gives back a dead worker's run locks at once, but keeps its tick claims", () => {
    const table = new LockTable();
    table.apply("acquire", "tick:a:1000", "w1", 600_000, 1, 0);
    table.apply("acquire", "run:a", "w1", 30_000, 1, 0);
    table.releaseOwner(1);
    expect(table.apply("acquire", "run:a", "w2", 30_000, 2, 10)).toBe(true);
    expect(table.apply("acquire", "tick:a:1000", "w2", 600_000, 2, 10)).toBe(false);
  });

  it("sweeps expired holds as it goes, so claims of past ticks do not pile up", () => {
    const table = new LockTable();
    for (let tick = 0; tick < 1000; tick++) table.apply("acquire", `tick:a:${tick}`, "w1", 100, 1, tick * 1000);
    expect(table.size).toBeLessThan(300);
  });
});
