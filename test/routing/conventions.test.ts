import { describe, expect, it, vi } from "vitest";
import { resolveRouteFiles, routeFromPath, taskNameFromPath } from "../../src/routing/index.js";

describe("file path → route (Nitro's scanServerRoutes)", () => {
  it.each<[string, string, string?, string?]>([
    // [file under the server folder, route, method?, env?]
    ["routes/index.ts", "/"],
    ["routes/index.get.ts", "/", "get"],
    ["routes/hello.ts", "/hello"],
    ["routes/hello.get.ts", "/hello", "get"],
    ["routes/hello.post.ts", "/hello", "post"],
    ["routes/api/hello.ts", "/api/hello"],
    ["routes/api/test.ts", "/api/test"],
    ["routes/api/users.post.ts", "/api/users", "post"],
    ["routes/api/users/[id].get.ts", "/api/users/:id", "get"],
    ["routes/api/users/[id]/index.ts", "/api/users/:id"],
    ["routes/api/[org]/[repo]/issues.ts", "/api/:org/:repo/issues"],
    ["routes/api/[org]/index.ts", "/api/:org"],
    ["routes/api/[...slug].ts", "/api/**:slug"],
    ["routes/[...].ts", "/**"],
    ["routes/hello/[...name].ts", "/hello/**:name"],
    ["routes/api/users/[[id]].ts", "/api/users/:id?"],
    ["routes/posts/[[page]]/list.get.ts", "/posts/:page?/list", "get"],
    ["routes/api/(admin)/users.ts", "/api/users"],
    ["routes/api/(admin)/reports.ts", "/api/reports"],
    ["routes/api/(public)/index.ts", "/api"],
    ["routes/(a)/(b)/deep.ts", "/deep"],
    ["routes/_ws.ts", "/_ws"],
    ["routes/chat/_ws.ts", "/chat/_ws"],
    ["routes/test.get.dev.ts", "/test", "get", "dev"],
    ["routes/test.prod.ts", "/test", undefined, "prod"],
    ["routes/report.get.prerender.ts", "/report", "get", "prerender"],
    ["routes/robots.txt.ts", "/robots.txt"],
    ["routes/a.dev.get.ts", "/a.dev", "get"],
    ["routes/a.post.get.ts", "/a.post", "get"],
    ["routes/v1.2/info.ts", "/v1.2/info"],
    ["routes/(docs)/[...].get.ts", "/**", "get"],
    ["routes/api/users.delete.mjs", "/api/users", "delete"],
    ["routes/api/x.put.js", "/api/x", "put"],
    ["routes/api/x.patch.mts", "/api/x", "patch"],
    ["routes/api/x.options.cts", "/api/x", "options"],
    ["routes/api/x.head.tsx", "/api/x", "head"],
    ["api/hello.ts", "/api/hello"],
    ["api/index.ts", "/api"],
    ["api/test.get.ts", "/api/test", "get"],
    ["api/hello/[name].ts", "/api/hello/:name"],
  ])("%s → %s %s", (file, route, method, env) => {
    const { routes, ignored } = resolveRouteFiles([`./${file}`], { env: (env as "dev" | undefined) ?? "prod" });
    expect(ignored).toEqual([]);
    expect(routes).toEqual([{ file: `./${file}`, route, ...(method && { method }), ...(env && { env }) }]);
  });

  it("routeFromPath takes the folder's URL prefix", () => {
    expect(routeFromPath("hello.ts", "/api")).toEqual({ route: "/api/hello" });
    expect(routeFromPath("index.ts", "/v1/")).toEqual({ route: "/v1" });
    expect(routeFromPath("[id].get.ts")).toEqual({ route: "/:id", method: "get" });
  });

  it.each([
    ["routes/api/[user-id].ts", "'user-id' is not a valid name"],
    ["routes/api/[[...slug]].ts", "'...slug' is not a valid name"],
    ["routes/api/[id.ts", "cannot read the segment '[id'"],
  ])("refuses %s naming the file", (file, message) => {
    expect(() => resolveRouteFiles([`./server/${file}`], { root: "./server" })).toThrow(`./server/${file}`);
    expect(() => resolveRouteFiles([`./server/${file}`], { root: "./server" })).toThrow(message);
  });
});

describe("which files count", () => {
  it.each([
    ["routes/_utils.ts", "a private file"],
    ["routes/_lib/db.ts", "a file in a private folder"],
    ["routes/api/_helpers.get.ts", "a private file with a method suffix"],
    ["middleware/_shared.ts", "private middleware"],
    ["plugins/_internal.ts", "a private plugin"],
    ["tasks/_base.ts", "a private task"],
    ["middleware/_ws.ts", "_ws outside a routes folder"],
    ["routes/types.d.ts", "a declaration file"],
    ["routes/types.d.mts", "an ES module declaration file"],
    ["routes/types.d.cts", "a CommonJS declaration file"],
    ["routes/.d.ts", "a declaration file with no name"],
    ["routes/readme.md", "not a module"],
    ["routes/data.json", "not a module"],
    ["utils/format.ts", "outside Nitro's folders"],
    ["routes/debug.dev.ts", "another environment's file"],
    ["routes/only.prerender.ts", "another environment's file"],
  ])("ignores %s (%s)", (file) => {
    const result = resolveRouteFiles([`./${file}`, "./routes/keep.ts"]);
    expect(result.ignored).toEqual([`./${file}`]);
    expect(result.routes.map((route) => route.file)).toEqual(["./routes/keep.ts"]);
  });

  it("keeps modules whose names only look like declarations", () => {
    const keys = ["./routes/d.ts", "./routes/types.d.tsx", "./routes/id.ts", "./routes/a.d.js", "./routes/x.d/y.ts", "./routes/.d.mjs"];
    const result = resolveRouteFiles(keys);
    expect(result.ignored).toEqual([]);
    expect(result.routes.map((route) => route.route).sort()).toEqual(["/.d", "/a.d", "/d", "/id", "/types.d", "/x.d/y"]);
  });

  it("keeps the active environment's files", () => {
    const keys = ["./routes/debug.dev.ts", "./routes/live.prod.ts"];
    expect(resolveRouteFiles(keys, { env: "dev" }).routes.map((r) => r.route)).toEqual(["/debug"]);
    expect(resolveRouteFiles(keys, { env: "prod" }).routes.map((r) => r.route)).toEqual(["/live"]);
  });

  it("strips root as the keys spell it (./server, server/, absolute paths)", () => {
    expect(resolveRouteFiles(["./server/routes/a.ts"], { root: "./server" }).routes[0]!.route).toBe("/a");
    expect(resolveRouteFiles(["./server/routes/a.ts"], { root: "server/" }).routes[0]!.route).toBe("/a");
    expect(resolveRouteFiles(["/srv/app/server/api/b.ts"], { root: "/srv/app/server" }).routes[0]!.route).toBe("/api/b");
    expect(resolveRouteFiles(["C:\\app\\server\\routes\\c.ts"], { root: "C:\\app\\server" }).routes[0]!.route).toBe("/c");
  });

  it("takes Nitro's routesDir, apiDir and apiBaseURL", () => {
    const result = resolveRouteFiles(["./pages/a.ts", "./endpoints/b.ts"], { routesDir: "pages", apiDir: "endpoints", apiBaseURL: "/v2" });
    expect(result.routes.map((r) => r.route)).toEqual(["/v2/b", "/a"]);
  });

  it("says what to pass when no key is under a known folder", () => {
    expect(() => resolveRouteFiles(["./server/routes/a.ts"])).toThrow(/below root '\.'.*Pass the folder that holds them as \{ root \}/);
    expect(resolveRouteFiles([])).toEqual({ routes: [], middleware: [], plugins: [], tasks: [], ignored: [] });
  });
});

describe("middleware, plugins, tasks", () => {
  it("orders middleware and plugins by path, as strings", () => {
    const keys = ["./middleware/auth.ts", "./middleware/2.auth.ts", "./middleware/10.late.ts", "./middleware/1.logger.ts", "./middleware/3.validate.ts"];
    expect(resolveRouteFiles(keys).middleware).toEqual([
      "./middleware/1.logger.ts",
      "./middleware/10.late.ts",
      "./middleware/2.auth.ts",
      "./middleware/3.validate.ts",
      "./middleware/auth.ts",
    ]);
    expect(resolveRouteFiles(["./plugins/b.ts", "./plugins/a/z.ts", "./plugins/A.ts"]).plugins).toEqual(["./plugins/A.ts", "./plugins/a/z.ts", "./plugins/b.ts"]);
  });

  it.each([
    ["db/migrate.ts", "db:migrate"],
    ["cms/update.ts", "cms:update"],
    ["hello.ts", "hello"],
    ["a/b/c.mjs", "a:b:c"],
    ["db/index.ts", "db:index"],
  ])("names tasks/%s %s", (path, name) => {
    expect(taskNameFromPath(path)).toBe(name);
    expect(resolveRouteFiles([`./tasks/${path}`]).tasks).toEqual([{ name, file: `./tasks/${path}` }]);
  });
});

describe("duplicates", () => {
  it("names both files answering the same method and path", () => {
    expect(() => resolveRouteFiles(["./routes/api/users.get.ts", "./api/users.get.ts"])).toThrow(
      "[nitrokit] Two files answer GET /api/users: ./api/users.get.ts and ./routes/api/users.get.ts. Rename or remove one.",
    );
    expect(() => resolveRouteFiles(["./routes/a/index.ts", "./routes/a.ts"])).toThrow("every method on /a: ./routes/a.ts and ./routes/a/index.ts");
    expect(() => resolveRouteFiles(["./routes/(x)/a.ts", "./routes/a.ts"])).toThrow("./routes/(x)/a.ts and ./routes/a.ts");
    expect(() => resolveRouteFiles(["./routes/users/[id].ts", "./routes/users/[name].ts"])).not.toThrow();
  });

  it("lets one path have a handler per method, plus one for every method", () => {
    const result = resolveRouteFiles(["./routes/a.get.ts", "./routes/a.post.ts", "./routes/a.ts"]);
    expect(result.routes.map((r) => `${r.method ?? "*"} ${r.route}`)).toEqual(["get /a", "post /a", "* /a"]);
  });

  it("names both files defining one task", () => {
    expect(() => resolveRouteFiles(["./tasks/db/migrate.ts", "./tasks/db/migrate.mjs"])).toThrow("Two files define task 'db:migrate': ./tasks/db/migrate.mjs and ./tasks/db/migrate.ts");
  });
});

describe("Nitro's file order (localeCompare's), without ICU's start-up cost where it is not needed", () => {
  /** Random middleware file names: lowercase ASCII and punctuation, sometimes a capital, a bracket or a non-ASCII letter. */
  function randomNames(count: number, alphabet: string): string[] {
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const names = new Set<string>();
    while (names.size < count) {
      let name = alphabet[1 + Math.floor(next() * (alphabet.length - 1))]!; // never a leading "_" (private) or "."
      const length = Math.floor(next() * 8);
      for (let i = 0; i < length; i++) name += alphabet[Math.floor(next() * alphabet.length)];
      if (!name.startsWith(".") && !name.startsWith("_") && !name.endsWith(".d")) names.add(name);
    }
    return [...names];
  }

  const collator = new Intl.Collator("en");
  it.each([
    // Every printable ASCII character but capitals and the path separators.
    ["lowercase ASCII, digits and punctuation", "_" + Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => !/[A-Z/\\_]/.test(c)).join("")],
    ["with capitals and non-ASCII letters", "_abcABCxyzXYZ019.-[]éÉüß"],
  ])("middleware in the order ICU's collator gives: %s", (_, alphabet) => {
    // Every character once at the same place (their order decides), then random names.
    const names = [...new Set([...[...alphabet].map((c) => `x${c}`), ...randomNames(400, alphabet)])];
    const keys = names.map((name) => `./middleware/${name}.ts`).reverse();
    const expected = [...names].sort((a, b) => collator.compare(`${a}.ts`, `${b}.ts`)).map((name) => `./middleware/${name}.ts`);
    expect(resolveRouteFiles(keys).middleware).toEqual(expected);
  });

  it("creates no ICU collator for lowercase ASCII paths, and one when a path needs it", async () => {
    // A fresh copy of the module, with Intl.Collator counting the collators made.
    const Original = Intl.Collator;
    let made = 0;
    const Counting = class extends Original {
      constructor(...args: ConstructorParameters<typeof Intl.Collator>) {
        super(...args);
        made++;
      }
    };
    Intl.Collator = Counting as typeof Intl.Collator;
    try {
      vi.resetModules();
      const routing = (await import("../../src/routing/index.js")) as typeof import("../../src/routing/index.js");
      const lowercase = ["./middleware/2.auth.ts", "./middleware/10.log.ts", "./middleware/1.cors.ts", "./routes/api/[id].get.ts", "./routes/api/index.ts"];
      expect(routing.resolveRouteFiles(lowercase).middleware).toEqual(["./middleware/1.cors.ts", "./middleware/10.log.ts", "./middleware/2.auth.ts"]);
      expect(made).toBe(0);
      expect(routing.resolveRouteFiles(["./middleware/b.ts", "./middleware/A.ts", "./middleware/a.ts"]).middleware).toEqual([
        "./middleware/a.ts",
        "./middleware/A.ts",
        "./middleware/b.ts",
      ]);
      expect(made).toBe(1);
    } finally {
      Intl.Collator = Original;
      vi.resetModules();
    }
  });
});

describe("the common route file shape (read in one regular expression) gives the routes routeFromPath gives", () => {
  // Route files of every shape below the folder: the common ones, and those left to the general path.
  const shapes = [
    "hello.ts", "hello.get.ts", "hello.post.mjs", "a-b/c-d.cts", "v2/users/[id].get.ts", "users/[id]/posts/[postId].delete.tsx",
    "UpperCase/camelCase.jsx", "digits/123.js", "[org]/[repo]/issues.ts", "[...slug].ts", "all/[...].ts", "opt/[[page]]/list.get.ts",
    "(admin)/reports.ts", "users/index.ts", "items/index.get.ts", "index/inside.ts", "debug.get.dev.ts", "only.prod.ts",
    "named.GET.ts", "indexes.ts", "index-page.get.ts", "[index].ts", "index.ts", "dots.in.name.ts", "user-[id].ts", "[id]-x.ts", "get.ts", "_ws.ts", "chat/_ws.ts", "x.mts", "y.get.cjs",
  ];
  const cases: Array<[string, { root?: string; routesDir?: string; apiDir?: string; apiBaseURL?: string }, string[]]> = [
    ["default folders, ./ keys", {}, ["./routes/", "./api/"]],
    ["keys without ./ and with ././", {}, ["routes/", "././api/"]],
    ["a root, its keys", { root: "./server/" }, ["./server/routes/", "server/api/"]],
    ["an absolute root", { root: "/srv/app.v1/server" }, ["/srv/app.v1/server/routes/", "/srv/app.v1/server/api/"]],
    ["other folders and an API prefix without slash", { routesDir: "pages", apiDir: "endpoints", apiBaseURL: "v2" }, ["./pages/", "./endpoints/"]],
    ["an API prefix with a trailing slash and a dot", { apiBaseURL: "/api/v1.2/" }, ["./api/"]],
    ["an API prefix ending like a method", { apiBaseURL: "/x.get" }, ["./api/"]],
    ["the API under /", { apiBaseURL: "/" }, ["./api/"]],
    ["a routes folder with a slash (the general path only)", { routesDir: "app/routes" }, ["./app/routes/"]],
    ["a folder named with regular expression characters", { routesDir: "r+(x)", root: "a.b" }, ["./a.b/r+(x)/"]],
  ];
  it.each(cases)("%s", (_, options, folders) => {
    for (const folder of folders) {
      const keys = shapes.map((shape) => `${folder}${shape}`);
      const { routes, ignored } = resolveRouteFiles(keys, options);
      const apiFolder = folder.endsWith(`${options.apiDir ?? "api"}/`) && !folder.endsWith(`${options.routesDir ?? "routes"}/`);
      const prefix = apiFolder ? (options.apiBaseURL ?? "/api") : "/";
      const expected = keys.flatMap((file) => {
        const below = file.slice(folder.length);
        if (below.startsWith("_") || below.includes("/_")) return below.endsWith("_ws.ts") ? [{ file, ...routeFromPath(below, prefix, file) }] : [];
        const route = { file, ...routeFromPath(below, prefix, file) };
        return route.env && route.env !== "prod" ? [] : [route];
      });
      expect(routes).toEqual(expect.arrayContaining(expected));
      expect(routes).toHaveLength(expected.length);
      expect(ignored).toHaveLength(keys.length - expected.length);
    }
  });
});

describe("Nitro's file order for paths of lowercase ASCII, digits, -, ., / and [name] (sorted with no comparator)", () => {
  const collator = new Intl.Collator("en");
  /** Random paths of `alphabet`, with `[…]` pairs (of the same characters) between them when `brackets`. */
  function randomPaths(count: number, alphabet: string, brackets: (next: () => number) => string): string[] {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const part = (length: number) => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    const paths = new Set<string>();
    while (paths.size < count) paths.add(`${part(Math.floor(next() * 4))}${brackets(next)}${part(Math.floor(next() * 4))}`);
    return [...paths];
  }
  /** The keys `resolveRouteFiles` leaves out, in the order it went through them (one route file keeps it from throwing). */
  const orderOf = (paths: string[]) => resolveRouteFiles(["./routes/z.ts", ...paths.map((path) => `./other/${path}`)]).ignored;
  const byCollator = (paths: string[]) => paths.map((path) => `./other/${path}`).sort((a, b) => collator.compare(a, b));

  it.each([
    ["no brackets", "-./0123456789abcz", () => ""],
    ["[name] pairs", "-./09az", (next: () => number) => (next() < 0.6 ? `[${"-./09az"[Math.floor(next() * 7)]}${next() < 0.5 ? "a" : ""}]` : "")],
    ["two pairs, nothing around", "./a9", (next: () => number) => (next() < 0.5 ? "[a][.]" : "[][/]")],
  ])("%s", (_, alphabet, brackets) => {
    const paths = randomPaths(300, alphabet, brackets);
    expect(orderOf(paths)).toEqual(byCollator(paths));
  });

  it("puts . before [ before ] before /, whatever follows them", () => {
    const paths = ["a.", "a.z", "a.-", "a[", "a[]", "a[z]", "a[]z", "a]", "a/", "a/z", "a-", "a", "az", "a0", "a[.]", "a[/]", "a[-]", "a..", "a.[", "a[a]/", "a[a]-"];
    // Unbalanced brackets leave the list to byPath; balanced ones only are sorted by their keys.
    expect(orderOf(paths)).toEqual(byCollator(paths));
    const balanced = paths.filter((path) => /^[^[\]]*(\[[^[\]]*][^[\]]*)*$/.test(path));
    expect(orderOf(balanced)).toEqual(byCollator(balanced));
  });

  it("falls back to ICU's order when a path holds anything else", () => {
    const paths = ["b.ts", "A.ts", "a.ts", "_x.ts", "a_b.ts", "[id].ts", "é.ts"];
    expect(orderOf(paths)).toEqual(byCollator(paths));
  });
});
