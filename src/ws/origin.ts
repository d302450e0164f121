/**
 * Cross-site WebSocket hijacking guard. Browsers attach cookies to a WebSocket
 * handshake from any page and never preflight it, so a page on another site could
 * open a socket as the visitor. Browsers always send `Origin`; other clients
 * (servers, CLIs, tests) usually send none and are not at risk.
 *
 * @returns the refusal message, or `undefined` when the upgrade may go on.
 */
export function checkOrigin(request: Request, allowed: readonly string[] | "*" | undefined): string | undefined {
  if (allowed === "*") return undefined;
  const origin = request.headers.get("origin");
  if (!origin) return undefined;
  if (allowed?.includes(origin)) return undefined;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Origin '${origin}' is not a valid origin.`;
  }
  if (host && originHost === host) return undefined;
  return `Origin '${origin}' may not open WebSockets here (host '${host ?? "?"}'). List it in websocket.allowedOrigins.`;
}
