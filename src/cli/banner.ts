import { networkInterfaces } from "node:os";
import type { NitroNodeServer } from "../adapters/node.js";
import { bold, cyan, dim } from "./log.js";

/**
 * The URLs a server answers on: the address it is bound to, or, bound to every
 * interface, localhost plus each external IPv4 address.
 */
export function serverUrls(server: Pick<NitroNodeServer, "url" | "port">, hostname: string | undefined): { local: string; network: string[] } {
  // On a Unix socket (NITRO_UNIX_SOCKET) there is no port: the URL is `unix:<path>`.
  if (server.port === undefined) return { local: server.url ?? "", network: [] };
  const protocol = server.url?.startsWith("https:") ? "https" : "http";
  const local = hostname === "localhost" ? `${protocol}://localhost:${server.port}/` : (server.url ?? "");
  const everyInterface = !hostname || hostname === "0.0.0.0" || hostname === "::";
  if (!everyInterface) return { local, network: [] };
  const network = Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && address.family === "IPv4" && !address.internal)
    .map((address) => `${protocol}://${address!.address}:${server.port}/`);
  return { local, network };
}

/** Printed once the server listens. */
export function printBanner(options: {
  mode: "serve" | "dev";
  entry: string;
  urls: { local: string; network: string[] };
  took: number;
  envFiles?: string[];
  /** Worker processes of a cluster (`serve --workers`). */
  workers?: number;
}): void {
  const workers = options.workers === undefined ? "" : ` · ${options.workers} worker${options.workers === 1 ? "" : "s"}`;
  const lines = [
    `${bold("nitrokit")} ${options.mode} ${dim(`· ${options.entry}${workers} · ready in ${options.took} ms`)}`,
    `  ➜ Local:   ${cyan(options.urls.local)}`,
    ...options.urls.network.map((url) => `  ➜ Network: ${cyan(url)}`),
  ];
  if (options.mode === "dev" && options.urls.network.length === 0) lines.push(dim("  ➜ Network: use --host 0.0.0.0 to expose"));
  if (options.envFiles?.length) lines.push(dim(`  ➜ Env:     ${options.envFiles.join(", ")} loaded`));
  if (options.mode === "dev") lines.push(dim("  Watching for changes; Ctrl+C to stop."));
  console.log(lines.join("\n"));
}
