import { defineHandler, HTTPError } from "nitrokit";

export default defineHandler(() => {
  throw new HTTPError("This server only brews tea", { status: 418 });
});
