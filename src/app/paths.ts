/** Path conventions shared by route and middleware registration. */

/** Nitro's path middleware covers the path and everything below it: `/admin` → `/admin/**`. */
export function prefixPattern(path: string): string {
  if (path.includes("*") || path.includes(":")) return path;
  return path === "/" ? "/**" : `${path.replace(/\/+$/, "")}/**`;
}

export function normalizeBase(baseURL: string | undefined): string {
  if (!baseURL || baseURL === "/") return "";
  return baseURL.replace(/\/+$/, "");
}
