// Preload for bench/profile.mjs: a server that does not handle SIGINT itself gets a
// handler that exits cleanly, so `node --cpu-prof` writes its profile. (nitrokit's
// serve() handles SIGINT itself and is left alone.)
setImmediate(() => {
  if (process.listenerCount("SIGINT") === 0) process.once("SIGINT", () => process.exit(0));
});
