/**
 * A handler's plain object as JSON on runtimes whose Response is their own (Bun, Deno, Workers:
 * app/plain-response.ts, runtimeJSONResponse). The answers go through the app in test/runtimes on each runtime;
 * here, the header templates behind them, on Node's own Response: same headers as h3's answer with
 * the rules applied as `Headers#set` applies them, and no header shared between two responses.
 */
import { describe, expect, it } from "vitest";
import { runtimeJSONResponse } from "../../src/app/plain-response.ts";
import type { HeaderEntries } from "../../src/route-rules/headers-rule.ts";

const entriesOf = (response: Response) => [...response.headers];

describe("runtimeJSONResponse", () => {
  it("answers 200 with h3's JSON content type and the value as JSON.stringify writes it", async () => {
    const response = runtimeJSONResponse({ a: 1, b: [true, null], c: undefined, d: "é\u2028" }, undefined);
    expect(response.status).toBe(200);
    expect(entriesOf(response)).toEqual([["content-type", "application/json;charset=UTF-8"]]);
    expect(await response.text()).toBe(JSON.stringify({ a: 1, b: [true, null], c: undefined, d: "é\u2028" }));
  });

  it("serializes toJSON values and indented output as JSON.stringify does, an empty body included", async () => {
    expect(await runtimeJSONResponse({ toJSON: () => ({ b: 2 }) }, undefined).text()).toBe('{"b":2}');
    expect(await runtimeJSONResponse({ toJSON: () => undefined }, undefined).text()).toBe("");
    expect(await runtimeJSONResponse({ a: [1] }, undefined, 2).text()).toBe(JSON.stringify({ a: [1] }, undefined, 2));
  });

  it("throws what JSON.stringify throws (the request path answers it as h3 does)", () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => runtimeJSONResponse(circular, undefined)).toThrow(TypeError);
    expect(() => runtimeJSONResponse({ big: 1n }, undefined)).toThrow(TypeError);
  });

  it("adds rule headers as Headers#set does: a rule's content-type replaces JSON's, set-cookie is appended, later rules win", () => {
    const first: HeaderEntries = [["content-type", "application/vnd.api+json"], ["set-cookie", "a=1"], ["x-rule", "first"]];
    const second: HeaderEntries = [["set-cookie", "b=2"], ["x-rule", "second"]];
    const one = runtimeJSONResponse({}, [first]);
    expect(one.headers.get("content-type")).toBe("application/vnd.api+json");
    expect(one.headers.getSetCookie()).toEqual(["a=1"]);
    const both = runtimeJSONResponse({}, [first, second]);
    expect(both.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(both.headers.get("x-rule")).toBe("second");
  });

  it("gives every response headers of its own: changing one answer's leaves the next one's as built", () => {
    const rule: HeaderEntries = [["x-powered-by", "nitrokit"]];
    for (const pending of [undefined, [rule], [rule, rule]]) {
      const first = runtimeJSONResponse({}, pending);
      const expected = entriesOf(first);
      first.headers.set("x-request", "first");
      first.headers.delete("content-type");
      first.headers.append("set-cookie", "session=first");
      const next = runtimeJSONResponse({}, pending);
      expect(entriesOf(next)).toEqual(expected);
    }
  });
});
