import { HTTPError, type H3Event } from "h3";
import type { NitroTasksEndpointConfig } from "./config-types.js";

/** Shortest `tasksEndpoint.token` accepted: anything shorter can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * The check `tasksEndpoint` puts in front of its routes: the bearer token (missing →
 * 401 with `WWW-Authenticate: Bearer`, wrong → 403), then the `authorize` predicate
 * (false → 403). With `insecure: true` and neither, every request passes.
 */
export function createTasksAuthorizer(config: NitroTasksEndpointConfig): (event: H3Event) => Promise<void> {
  const { token, authorize } = config;
  // Compare digests, not the strings: equal lengths, and no early exit on the first differing byte.
  const expected = token === undefined ? undefined : sha256(token);
  return async (event) => {
    if (expected) {
      const presented = bearerToken(event.req.headers.get("authorization"));
      if (presented === undefined) {
        throw new HTTPError({
          status: 401,
          message: "The tasks endpoint needs `Authorization: Bearer <token>`.",
          headers: { "www-authenticate": 'Bearer realm="nitrokit tasks"' },
        });
      }
      if (!constantTimeEqual(await sha256(presented), await expected)) {
        throw new HTTPError({ status: 403, message: "The bearer token is not valid for the tasks endpoint." });
      }
    }
    if (authorize && (await authorize(event)) !== true) {
      throw new HTTPError({ status: 403, message: "Not allowed to use the tasks endpoint." });
    }
  };
}

/** The token of an `Authorization: Bearer <token>` header, or `undefined` for any other header. */
function bearerToken(header: string | null): string | undefined {
  const match = header ? /^Bearer +([^\s]+) *$/i.exec(header) : null;
  return match?.[1];
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
