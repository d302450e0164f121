import { createHash } from "node:crypto";

/**
 * A cache key group as it appears in storage keys, computed by hand from ocache's documented
 * rule (the library Nitro 3 caches with): a group with characters outside `[A-Za-z0-9_]`
 * keeps its word characters and gets `.` + the base64url sha256 of its serialized form
 * (`'<length>:<group>`), so `nitro/functions` never reads as two key segments.
 */
export function groupSegment(group: string): string {
  const word = group.replace(/\W/g, "");
  if (word === group) return group;
  return `${word.slice(0, 64)}.${createHash("sha256").update(`'${group.length}:${group}`).digest("base64url")}`;
}

/** Nitro 3's default groups, as storage keys spell them. */
export const NITRO_FUNCTIONS = groupSegment("nitro/functions");
export const NITRO_HANDLERS = groupSegment("nitro/handlers");
