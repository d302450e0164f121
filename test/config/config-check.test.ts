/**
 * The config check runs on every start-up without zod (src/config/check.ts); these pin the
 * rules it shares with zod 4, whose messages users know: a wrong type is reported as such,
 * a detail of a value of the right type with its own message, a union by its message unless
 * exactly one member fits in shape.
 */
import { describe, expect, it } from "vitest";
import { createNitroApp } from "../../src/index.js";
import { array, custom, formatPath, integer, literal, nonEmptyString, number, object, optionalKeys, record, string, union } from "../../src/config/check.js";

const messages = (check: { issues(value: unknown): { path: PropertyKey[]; message: string }[] }, value: unknown) =>
  check.issues(value).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);

describe("config check", () => {
  it("names the kind expected and the kind received", () => {
    expect(messages(string(), 3)).toEqual(["config: Invalid input: expected string, received number"]);
    expect(messages(record(string()), [])).toEqual(["config: Invalid input: expected record, received array"]);
    expect(messages(number(), Number.NaN)).toEqual(["config: Invalid input: expected number, received NaN"]);
    expect(messages(integer(), 1.5)).toEqual(["config: Invalid input: expected int, received number"]);
    expect(messages(integer(), null)).toEqual(["config: Invalid input: expected number, received null"]);
  });

  it("reports every bad key path of an object, fields in order, required ones when missing", () => {
    const check = object({ a: nonEmptyString(), b: array(string()).optional(), c: record(number()) });
    expect(messages(check, { a: "", b: ["x", 2], c: { n: "1" } })).toEqual([
      "a: Too small: expected string to have >=1 characters",
      "b[1]: Invalid input: expected string, received number",
      "c.n: Invalid input: expected number, received string",
    ]);
    expect(messages(check, { c: {} })).toEqual(["a: Invalid input: expected string, received undefined"]);
    expect(check.issues({ a: "x", c: {}, extra: true })).toEqual([]);
  });

  it("runs an object's own refinement only once its fields have the right types", () => {
    const check = object({ url: string().optional(), storage: string().optional() }).refine(
      (value: { url?: string; storage?: string }) => (value.url === undefined) !== (value.storage === undefined),
      "set either url or storage",
    );
    expect(messages(check, {})).toEqual(["config: set either url or storage"]);
    expect(messages(check, { url: 1 })).toEqual(["url: Invalid input: expected string, received number"]);
  });

  it("reports a union by its message, or by the one member whose shape fits", () => {
    const check = union([custom((value) => typeof value === "function", "expected a function"), object({ driver: literal("redis"), url: nonEmptyString().optional() })], "expected a function or { driver }");
    expect(check.issues(() => {})).toEqual([]);
    expect(messages(check, 3)).toEqual(["config: expected a function or { driver }"]);
    expect(messages(check, { driver: "redis", url: "" })).toEqual(["url: Too small: expected string to have >=1 characters"]);
    expect(check.shape && Object.keys(check.shape)).toEqual(["driver", "url"]);
  });

  it("optionalKeys() makes every field optional", () => {
    const check = object(optionalKeys({ a: string(), b: number() }));
    expect(check.issues({})).toEqual([]);
    expect(messages(check, { b: "x" })).toEqual(["b: Invalid input: expected number, received string"]);
  });

  it("keeps the caller's config object (handlers and plugins keep their identity)", () => {
    const plugin = () => {};
    const config = { plugins: [plugin], runtimeConfig: { a: 1 } };
    expect(createNitroApp(config).config).toBe(config);
  });
});
