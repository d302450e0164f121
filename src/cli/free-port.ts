import { createServer } from "node:net";

/** Whether `port` can be listened on at `host` right now. */
export function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The first free port after `port` (up to `tries` of them), for the "port in use" message. */
export async function nextFreePort(port: number, host?: string, tries = 20): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(port + tries, 65535); candidate++) {
    if (await isPortFree(candidate, host)) return candidate;
  }
  return undefined;
}
