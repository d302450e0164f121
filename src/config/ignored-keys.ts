/**
 * What to tell a user who passes a config key nitrokit does not read. Nitro 3's config
 * (its `NitroConfig` type) has many keys that only its build or its directory scanning
 * reads; each one here names what to do instead in code, so a port never loses a setting
 * without a word.
 */

const BUNDLER = "nitrokit does not bundle your app: configure your own bundler, or use `nitrokit build` (esbuild) for a standalone .output";
const SCANNING = "nitrokit scans no directories: register the folder with registerRoutes(app, globModules(dir)) from nitrokit/routing and nitrokit/routing/node (or import.meta.glob)";
const STATIC = "serve files with a catch-all route: app.get(\"/**\", serveStatic(dir)) from nitrokit/node (ETag, ranges, compression)";
const PRERENDER = "prerender with prerender(app, { routes, crawlLinks }) from nitrokit/node, or mark routes with routeRules { prerender: true } for `nitrokit build`";
const ADAPTER = "pick the runtime in code: serve(app) from nitrokit/node, nitrokit/bun or nitrokit/deno, toWorker(app) from nitrokit/workers, toLambdaHandler(app) from nitrokit/aws-lambda, toNetlifyHandler(app) from nitrokit/netlify — or `nitrokit build --preset <name>`";
const PRESET_OPTIONS = "preset options: pass the platform's settings to its adapter (nitrokit/workers, nitrokit/aws-lambda, nitrokit/netlify) or your platform's own config";
const TRACING = "set `tracing: true` (OpenTelemetry spans through @opentelemetry/api; see README \"Observability\")";
const NO_EFFECT = "it has no effect without Nitro's build";
const C12 = "c12's per-environment overrides: choose the values in code (e.g. `dev ? … : …`) before calling createNitroApp()";

/** Nitro config keys nitrokit does not read, and what to do instead. */
export const IGNORED_NITRO_KEYS: Readonly<Record<string, string>> = {
  // Registration in code instead of build-time discovery
  routes: "register routes in code: app.get(\"/path\", handler), app.route({ route, method, handler }), or registerRoutes() from nitrokit/routing",
  devHandlers: "register development-only routes in code: if (dev) app.get(\"/path\", handler)",
  renderer: "a renderer is a catch-all route: app.get(\"/**\", renderHandler) (more specific routes still win)",
  ssrRoutes: "a renderer is a catch-all route: app.get(\"/**\", renderHandler), or one route per path",
  hooks: "Nitro's build hooks have no equivalent (there is no build); runtime hooks go in a plugin: app.plugin((nitroApp) => nitroApp.hooks.hook(\"request\", (event) => { … }))",
  virtual: "there are no virtual modules: put the code in a module and import it",
  imports: "there are no auto-imports: import what you use from \"nitrokit\", \"nitrokit/h3\", \"nitrokit/storage\", …",
  modules: "Nitro modules extend the build: register what they add (handlers, middleware, plugins) in code",
  tasks: "register tasks in code: app.task(\"db:migrate\", defineTask({ … })) (defineTask from nitrokit/task), or a tasks/ folder through registerRoutes()",
  devErrorHandler: "use errorHandler and check the app's dev flag (app.config.dev) inside it",
  features: "both features are always on: runtime hooks always run (runtimeHooks), WebSockets are served by app.websocket(path, hooks) (websocket)",
  tracingChannel: TRACING,
  // Directory scanning
  srcDir: SCANNING,
  serverDir: SCANNING,
  scanDirs: SCANNING,
  apiDir: SCANNING,
  routesDir: SCANNING,
  ignore: "filter the module map you pass to registerRoutes() instead",
  apiBaseURL: "register API routes under the prefix you want (registerRoutes() serves api/ under /api)",
  // Static files and prerendering
  publicAssets: STATIC,
  serveStatic: STATIC,
  compressPublicAssets: STATIC,
  noPublicDir: STATIC,
  prerender: PRERENDER,
  static: PRERENDER,
  // Deployment targets
  preset: ADAPTER,
  defaultPreset: ADAPTER,
  awsAmplify: PRESET_OPTIONS,
  awsLambda: PRESET_OPTIONS,
  azure: PRESET_OPTIONS,
  cloudflare: PRESET_OPTIONS,
  firebase: PRESET_OPTIONS,
  netlify: PRESET_OPTIONS,
  vercel: PRESET_OPTIONS,
  zephyr: PRESET_OPTIONS,
  iis: PRESET_OPTIONS,
  // Development server
  devServer: "start the development server with `nitrokit dev --port <port> --host <host>`",
  devProxy: "use a proxy route rule: routeRules: { \"/proxy/**\": { proxy: \"http://localhost:3001/**\" } }",
  watchOptions: "`nitrokit dev` watches the project directory (minus node_modules and dot-directories)",
  // Bundling
  builder: BUNDLER,
  rollupConfig: BUNDLER,
  rolldownConfig: BUNDLER,
  entry: BUNDLER,
  unenv: BUNDLER,
  alias: BUNDLER,
  minify: BUNDLER,
  inlineDynamicImports: BUNDLER,
  sourcemap: BUNDLER,
  node: BUNDLER,
  oxc: BUNDLER,
  replace: BUNDLER,
  commonJS: BUNDLER,
  exportConditions: BUNDLER,
  noExternals: BUNDLER,
  externals: BUNDLER,
  traceDeps: BUNDLER,
  traceOpts: BUNDLER,
  wasm: `${BUNDLER}; import .wasm modules as your runtime allows`,
  buildDir: "`nitrokit build` writes to .output; there is no other build directory",
  output: "`nitrokit build` writes to .output",
  buildAssetsDir: "`nitrokit build` writes to .output",
  typescript: "use your tsconfig.json; route types come from the registrations themselves (typed routes)",
  // Config loading
  extends: "compose configs in code: createNitroApp({ ...baseConfig, ...overrides })",
  $test: C12,
  $development: C12,
  $production: C12,
  $env: C12,
  $meta: C12,
  // Nothing to do
  compatibilityDate: NO_EFFECT,
  workspaceDir: NO_EFFECT,
  debug: `${NO_EFFECT} (it logs build hooks)`,
  logLevel: "nitrokit logs only warnings and errors, with console.warn/console.error",
  timing: NO_EFFECT,
  manifest: NO_EFFECT,
  future: NO_EFFECT,
  commands: NO_EFFECT,
  framework: NO_EFFECT,
  _config: "it is part of Nitro's resolved options, not of a config",
  _cli: "it is part of Nitro's resolved options, not of a config",
  _c12: "it is part of Nitro's resolved options, not of a config",
};

/** Nitro's `experimental` flags nitrokit does not read, and what to do instead. */
export const IGNORED_NITRO_EXPERIMENTAL_KEYS: Readonly<Record<string, string>> = {
  tracingLogger: TRACING,
  typescriptBundlerResolution: "use your tsconfig.json (moduleResolution: \"bundler\")",
  sourcemapMinify: BUNDLER,
};

/**
 * One line per ignored key: the hint when it is a Nitro key, else a note that it is no
 * option at all, with the closest known key when one is near (a typo).
 */
export function describeIgnoredKey(path: string, key: string, hints: Readonly<Record<string, string>>, known: readonly string[]): string {
  const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
  if (hint) return `${path} is ignored: ${hint}.`;
  const near = closest(key, known);
  return `${path} is not a nitrokit or Nitro option${near ? ` (did you mean '${near}'?)` : ""}; ignored.`;
}

/** The known key within two edits of `key` (case ignored), if there is one. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
