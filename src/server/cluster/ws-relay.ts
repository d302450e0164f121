import type { SyncAdapter } from "crossws";

/** The relay channel of nitrokit's cluster; the primary rebroadcasts every channel (crossws' `setupPrimaryCluster`). */
const CHANNEL = "nitrokit:ws";

/**
 * WebSocket pub/sub between the workers of one cluster, relayed by the primary over IPC
 * (crossws' `cluster` sync driver). A publish while the channel is closing (a peer's
 * close hook during shutdown) has nowhere to go and is dropped instead of throwing.
 */
export function clusterWebSocketRelay(): SyncAdapter {
  // crossws' sync drivers load with the first WebSocket adapter that asks, not at start-up.
  let loading: Promise<SyncAdapter> | undefined;
  const adapter = () => (loading ??= import("crossws/sync").then(({ cluster }) => cluster({ channel: CHANNEL })));
  return (ctx) => {
    const driver = adapter().then((create) => create(ctx));
    const proc = (globalThis as { process?: { connected?: boolean } }).process;
    return {
      subscribe: (deliver) => driver.then((inner) => inner.subscribe(deliver)),
      publish: (message) => {
        if (proc?.connected === false) return;
        return driver.then((inner) => inner.publish(message));
      },
      close: () => driver.then((inner) => inner.close?.()),
    };
  };
}
