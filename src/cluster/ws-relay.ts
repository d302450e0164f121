import type { SyncAdapter } from "crossws";
import { cluster as clusterSync } from "crossws/sync";

/** The relay channel of nitrokit's cluster; the primary rebroadcasts every channel (crossws' `setupPrimaryCluster`). */
const CHANNEL = "nitrokit:ws";

/**
 * WebSocket pub/sub between the workers of one cluster, relayed by the primary over IPC
 * (crossws' `cluster` sync driver). A publish while the channel is closing (a peer's
 * close hook during shutdown) has nowhere to go and is dropped instead of throwing.
 */
export function clusterWebSocketRelay(): SyncAdapter {
  const adapter = clusterSync({ channel: CHANNEL });
  return (ctx) => {
    const driver = adapter(ctx);
    const proc = (globalThis as { process?: { connected?: boolean } }).process;
    return {
      subscribe: (deliver) => driver.subscribe(deliver),
      publish: (message) => {
        if (proc?.connected === false) return;
        return driver.publish(message);
      },
      close: driver.close ? () => driver.close!() : undefined,
    };
  };
}
