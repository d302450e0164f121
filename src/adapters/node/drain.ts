import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A body cut off at the size limit (or never read) is left paused with its listeners
 * removed, so Node never sees the request end: the kept-alive socket hangs and graceful
 * shutdown waits its full timeout. Once the response is out, read the rest away, which
 * is what Node itself does for bodies nobody consumed. Requests without a body pay nothing.
 */
export function drainWhenCutOff(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) return;
  res.once("finish", () => {
    if (!req.complete && !req.destroyed) req.resume();
  });
}
