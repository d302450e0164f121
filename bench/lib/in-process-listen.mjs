// Preload for bench/js-cost.mjs: `listen()` on any node:http server binds nothing. The server
// reports itself listening on 127.0.0.1:$PORT and is kept in `globalThis.__benchServers` for
// the driver to hand requests to, as Node's HTTP parser would.
import http from "node:http";

const servers = (globalThis.__benchServers = []);
http.Server.prototype.listen = function listen(...args) {
  const callback = args.find((arg) => typeof arg === "function");
  const port = Number(process.env.PORT ?? 3000);
  this.address = () => ({ address: "127.0.0.1", family: "IPv4", port });
  Object.defineProperty(this, "listening", { value: true, configurable: true });
  servers.push(this);
  process.nextTick(() => {
    callback?.();
    this.emit("listening");
  });
  return this;
};
