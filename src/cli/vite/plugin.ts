/** The Vite plugin behind `nitrokit/vite` (Node-only tooling, like the `nitrokit` command it builds with). */
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAbsolute, join, relative, resolve } from "node:path";
import { createServerModuleRunner, type Plugin, type ResolvedConfig, type ViteDevServer } from "vite";
import { PRESETS, type Preset } from "../build/presets.js";
import { buildOutput } from "../build/build.js";
import { loadDotenvFiles } from "../dev/dotenv.js";
import { CliError, describeError } from "../errors.js";
import { DevAppHost } from "./dev-host.js";
import { RequestClaims } from "./claims.js";

/** Options of the {@link nitrokit} Vite plugin. */
export interface NitrokitViteOptions {
  /**
   * The module that exports the app, relative to Vite's root: a default export (the app, a
   * promise of it, or a factory `({ dev }) => app`) or a named `app` export, as the
   * `nitrokit` command loads it. Default: the first of `server/app`, `server/index`,
   * `server` with a `.ts`, `.mts`, `.js` or `.mjs` extension.
   */
  entry?: string;
  /**
   * More paths that always go to the app in development, before Vite looks at them
   * (`/api/**` always does, and `<base>api/**` under Vite's `base`), as route patterns:
   * `"/auth/**"`, `"/health"`, `"/users/:id"`. The app sees request URLs whole, `base` included.
   */
  paths?: string[];
  /** Paths that never go to the app in development, even when a route matches them. */
  exclude?: string[];
  /** What `vite build` builds the server for (`nitrokit build --preset`). Default `"node"`. */
  preset?: Preset;
  /** The server's output folder, relative to Vite's root. Default `".output"`. */
  outDir?: string;
  /** Minify the server bundle. Default `true`. */
  minify?: boolean;
}

/** The Vite environment the app's modules run in, in development and for the server build. */
const ENVIRONMENT = "nitrokit";
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * The app in Vite: `vite` serves the front end and the app on one port (requests the app
 * claims reach `app.fetch`, its modules loaded by Vite's module runner, so TypeScript,
 * aliases and `import.meta.glob` work as in the rest of the project), an edit swaps the
 * app without restarting Vite, and `vite build` builds the client and then the server
 * with `nitrokit build`, the client's files served by it.
 *
 * @example
 * // vite.config.ts
 * import { defineConfig } from "vite";
 * import { nitrokit } from "nitrokit/vite";
 *
 * export default defineConfig({
 *   plugins: [nitrokit({ entry: "./server/app.ts" })],
 * });
 */
export function nitrokit(options: NitrokitViteOptions = {}): Plugin {
  const preset = options.preset ?? "node";
  if (!PRESETS.includes(preset)) throw new TypeError(`[nitrokit/vite] Unknown preset '${String(preset)}': use one of ${PRESETS.join(", ")}.`);
  let config: ResolvedConfig;
  let entry: string;
  let host: DevAppHost | undefined;
  let changedFiles: Set<string> | undefined;

  return {
    name: "nitrokit",

    config(userConfig) {
      const root = resolve(userConfig.root ?? process.cwd());
      entry = resolveEntry(root, options.entry);
      return {
        // `vite build` builds every environment through the plugin's buildApp hook.
        builder: {},
        environments: {
          [ENVIRONMENT]: {
            consumer: "server",
            // One copy of nitrokit for the plugin and the app, even when it is linked (a workspace,
            // `file:`), which Vite would otherwise inline: Node loads it, as it loaded this plugin.
            resolve: { external: ["nitrokit"] },
            build: {
              outDir: join(root, "node_modules", ".nitrokit", "vite-server"),
              emptyOutDir: true,
              copyPublicDir: false,
              minify: false,
              rolldownOptions: {
                input: { app: entry },
                output: { format: "esm", entryFileNames: "[name].mjs", chunkFileNames: "chunks/[name]-[hash].mjs" },
              },
            },
          },
        },
      };
    },

    configResolved(resolved) {
      config = resolved;
    },

    configureServer(server) {
      // Vitest runs its own Vite server from the same config: tests create their apps themselves.
      if (process.env.VITEST) return;
      // Apps created at import time pick `dev: true` up from here, as under `nitrokit dev`.
      process.env.NITROKIT_DEV = "1";
      loadDotenvFiles(config.root);
      const claims = new RequestClaims({ root: config.root, base: config.base, paths: options.paths ?? [], exclude: options.exclude ?? [] });
      // Changed files the next load must find valid, kept until a load does (see DevAppHost's `verify`).
      const changed = new Set<string>();
      host = createHost(server, entry, async () => {
        const environment = server.environments[ENVIRONMENT]!;
        await Promise.all([...changed].map((file) => existsSync(file) && environment.transformRequest(file)));
        changed.clear();
      });
      changedFiles = changed;
      const devHost = host;
      server.httpServer?.once("listening", () => void devHost.start());
      server.httpServer?.on("upgrade", (req, socket, head) => {
        if (!claims.claimsUpgrade(req, devHost.app)) return;
        devHost.upgrade(req, socket, head).catch((error: unknown) => {
          config.logger.error(`[nitrokit] WebSocket upgrade failed: ${describeError(error)}`);
          socket.destroy();
        });
      });
      // A browser that connects while the last change is broken sees the error too.
      server.ws.on("connection", () => {
        if (devHost.failure) server.ws.send({ type: "error", err: overlayError(devHost.failure) });
      });
      const serve = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
        devHost.handle(req, res).catch(next);
      };
      // Before Vite's middleware: `/api/**`, `paths` and the app's own routes.
      server.middlewares.use((req, res, next) => {
        if (!claims.claimsFirst(req, devHost.app)) return next();
        serve(req, res, next);
      });
      // After it: whatever Vite's files and transforms did not serve (its HTML pages aside).
      return () => {
        server.middlewares.use((req, res, next) => {
          if (!claims.claimsLeftover(req)) return next();
          serve(req, res, next);
        });
      };
    },

    hotUpdate: {
      // After Vite's glob plugin, which adds the modules whose `import.meta.glob` matches a new or removed file.
      order: "post",
      handler({ file, modules, type }) {
        if (this.environment.name !== ENVIRONMENT || !host) return;
        // A file the app was loaded from, a file a glob of it now matches (Vite's glob plugin
        // adds its importers), or any source file while the last load failed.
        const relevant = modules.length > 0 || (host.failure !== undefined && SOURCE_FILE.test(file) && !file.includes("/node_modules/"));
        if (relevant) {
          // Vite's own HMR would invalidate these (a glob importer must be transformed again to list a new file).
          for (const mod of modules) this.environment.moduleGraph.invalidateModule(mod);
          if (type !== "delete" && SOURCE_FILE.test(file)) changedFiles?.add(file);
          config.logger.info(`[nitrokit] ↻ ${relative(config.root, file)} changed`, { timestamp: true });
          void host.reload();
        }
        // The runner has no HMR: the host reloads the whole app instead of a module.
        return [];
      },
    },

    // Vite closes each environment when the dev server closes (with or without its own HTTP server).
    async closeBundle() {
      if (this.environment.name === ENVIRONMENT && host) await host.close();
    },

    buildApp: {
      async handler(builder) {
        const client = builder.environments.client;
        if (client && !client.isBuilt) await builder.build(client);
        const server = builder.environments[ENVIRONMENT]!;
        await builder.build(server);
        const root = builder.config.root;
        const outDir = resolve(root, options.outDir ?? ".output");
        const clientOut = client ? resolve(root, client.config.build.outDir) : undefined;
        const started = performance.now();
        const logger = builder.config.logger;
        try {
          const result = await buildOutput({
            entryPath: join(resolve(root, server.config.build.outDir), "app.mjs"),
            preset,
            outDir,
            minify: options.minify ?? true,
            rootDir: root,
            log: (line) => logger.info(line),
            ...(clientOut && existsSync(clientOut) ? { publicDir: clientOut, publicBaseURL: builder.config.base.startsWith("/") ? builder.config.base : "/" } : {}),
          });
          logger.info(`[nitrokit] built ${relative(root, result.entryFile)} (${preset}) in ${Math.round(performance.now() - started)} ms` +
            (preset === "node" ? `; start it with: node ${relative(root, result.entryFile)}` : ""));
        } catch (error) {
          if (error instanceof CliError) throw new Error(`[nitrokit] ${describeError(error)}`, { cause: error });
          throw error;
        }
      },
    },
  };
}

function createHost(server: ViteDevServer, entry: string, verify: () => Promise<void>): DevAppHost {
  const { logger } = server.config;
  return new DevAppHost({
    entry,
    // Every load evaluates the project's modules afresh in a runner of its own (packages, which
    // Vite externalises, stay loaded once), as `nitrokit dev` does. The runner has no HMR: an edit
    // reloads the app.
    newGeneration: () => {
      const runner = createServerModuleRunner(server.environments[ENVIRONMENT]!, { hmr: false });
      return { importModule: (path) => runner.import(path), close: () => runner.close() };
    },
    verify,
    events: {
      onFailure(error, kept) {
        logger.error(`[nitrokit] ${describeError(error)}`, { timestamp: true });
        if (kept) logger.warn("[nitrokit] Still serving the last version that loaded. Fix the error and save to reload.", { timestamp: true });
        server.ws.send({ type: "error", err: overlayError(error) });
      },
      onLoaded(took, recovered, first) {
        logger.info(`[nitrokit] ${first ? "app loaded" : "app reloaded"} in ${took} ms`, { timestamp: true });
        // The overlay of the fixed error goes away with a reload of the page.
        if (recovered) server.ws.send({ type: "full-reload" });
      },
      onRetired(inFlight) {
        if (inFlight > 0) logger.info(`[nitrokit] previous app closed after its ${inFlight} request${inFlight > 1 ? "s" : ""} in flight finished`, { timestamp: true });
      },
      onCloseError(error) {
        logger.error(`[nitrokit] Closing the previous app failed: ${describeError(error)}`);
      },
    },
  });
}

/** The error as Vite's overlay shows it: the user's error (with its code frame), not the wrapper saying where it was found. */
function overlayError(error: Error): { message: string; stack: string; id?: string; frame?: string; plugin?: string; loc?: { file?: string; line: number; column: number } } {
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  const original = cause as Error & { id?: string; frame?: string; plugin?: string; loc?: { file?: string; line: number; column: number } };
  return {
    message: `[nitrokit] ${error.message.split("\n")[0]}${original !== error ? `\n${original.message}` : ""}`,
    stack: describeError(original),
    ...(original.id ? { id: original.id } : {}),
    ...(original.frame ? { frame: original.frame } : {}),
    ...(original.plugin ? { plugin: original.plugin } : {}),
    ...(original.loc ? { loc: original.loc } : {}),
  };
}

/** The entry module's absolute path: the option as given, else the first default that exists. */
function resolveEntry(root: string, entry: string | undefined): string {
  const candidates = entry
    ? [entry, ...[".ts", ".mts", ".js", ".mjs"].map((ext) => entry + ext)]
    : ["server/app", "server/index", "server"].flatMap((base) => [".ts", ".mts", ".js", ".mjs"].map((ext) => base + ext));
  const found = candidates.map((path) => (isAbsolute(path) ? path : resolve(root, path))).find((path) => existsSync(path) && !path.endsWith("/"));
  if (found) return found;
  throw new Error(
    entry
      ? `[nitrokit/vite] Entry file not found: ${entry} (looked in ${root}).`
      : `[nitrokit/vite] No app module found: looked for ${candidates.join(", ")} in ${root}. Pass the module that exports your app: nitrokit({ entry: "./server/app.ts" }).`,
  );
}
