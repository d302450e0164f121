import type { $Fetch } from "ofetch";
import { useNitroApp } from "../app/context.js";
import { createAppFetch, createLocalFetch } from "./local-fetch.js";

declare global {
  /**
   * Nitro's ambient `$fetch`: relative paths are served in-process by the app
   * handling the current request (or the only app), absolute URLs go to the network.
   */
  // eslint-disable-next-line no-var
  var $fetch: $Fetch;
}

/** `$fetch` resolved against the current app on every call. */
export const $fetch: $Fetch = createAppFetch(createLocalFetch((request) => useNitroApp().fetch(request)));

/**
 * Makes `$fetch` available as a global, as Nitro does, unless something else
 * (ofetch's own global, a test setup) already put one there.
 */
export function installAmbientFetch(): void {
  if (!("$fetch" in globalThis)) globalThis.$fetch = $fetch;
}
