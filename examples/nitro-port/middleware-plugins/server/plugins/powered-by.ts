import { definePlugin } from "nitrokit";
import { useNitroHooks } from "nitrokit/app";

export default definePlugin(() => {
  const hooks = useNitroHooks();
  hooks.hook("response", (res, event) => {
    res.headers.set("x-powered-by", "nitro");
    res.headers.set("x-path", event.url.pathname);
  });
});
