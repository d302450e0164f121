import type { AdapterOptions, Hooks, Message, Peer } from "crossws";

/** Close code for a message over the size limit ("message too big"), as `ws` and Bun send it. */
const MESSAGE_TOO_BIG = 1009;

/**
 * crossws adapter options whose routes refuse messages over `maxBytes`: the peer is
 * closed with 1009 and the route's `message` hook never sees the message. For
 * runtimes whose WebSocket server has no size option of its own (Deno, Workers);
 * Node (`ws` maxPayload) and Bun (`maxPayloadLength`) enforce it natively.
 */
export function withMessageLimit(options: AdapterOptions, maxBytes: number): AdapterOptions {
  const resolve = options.resolve;
  if (!resolve) return options;
  const limited = new WeakMap<Partial<Hooks>, Partial<Hooks>>();
  return {
    ...options,
    resolve: async (request) => {
      const hooks = await resolve(request);
      const message = hooks.message;
      if (!message) return hooks;
      let wrapped = limited.get(hooks);
      if (!wrapped) {
        wrapped = {
          ...hooks,
          message: (peer: Peer, received: Message) => {
            if (exceeds(received, maxBytes)) return peer.close(MESSAGE_TOO_BIG, "Message too big");
            return message(peer, received);
          },
        };
        limited.set(hooks, wrapped);
      }
      return wrapped;
    },
  };
}

/** Whether a message has more than `maxBytes` bytes; a string is only encoded when its length cannot tell. */
function exceeds(message: Message, maxBytes: number): boolean {
  const raw: unknown = message.rawData;
  if (typeof raw === "string") {
    // A UTF-16 code unit takes 1 to 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
    if (raw.length > maxBytes) return true;
    if (raw.length * 3 <= maxBytes) return false;
    return new TextEncoder().encode(raw).byteLength > maxBytes;
  }
  if (raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) return raw.byteLength > maxBytes;
  if (typeof Blob !== "undefined" && raw instanceof Blob) return raw.size > maxBytes;
  return message.uint8Array().byteLength > maxBytes;
}
