/**
 * Fills a route pattern's params for a request: `("/users/:id", { id: 7 })` →
 * `"/users/7"`. Values are URL-encoded; a `**:rest` value keeps its slashes.
 * Shared by `app.$fetch` and `createClient`, so it imports nothing.
 */
export function fillPathParams(pattern: string, values: Readonly<Record<string, unknown>>): string {
  const end = pattern.search(/[?#]/);
  const path = end === -1 ? pattern : pattern.slice(0, end);
  const filled = path.replace(/(\*\*)?:([\w-]+)/g, (_match, rest: string | undefined, name: string) => {
    const value = values[name];
    if (value === undefined || value === null || value === "") {
      throw new TypeError(`[nitrokit] ${pattern}: missing path param '${name}' (pass it in pathParams).`);
    }
    const text = String(value);
    return rest ? text.split("/").map(encodeURIComponent).join("/") : encodeURIComponent(text);
  });
  return end === -1 ? filled : filled + pattern.slice(end);
}

/** The request a typed `$fetch` call sends: its pattern filled when `options.pathParams` is given. */
export function resolveRequest<R>(request: R, options: object | undefined): R | string {
  const values = (options as { pathParams?: Readonly<Record<string, unknown>> } | undefined)?.pathParams;
  return typeof request === "string" && values ? fillPathParams(request, values) : request;
}
