import { html } from "nitrokit";
import { defineCachedHandler } from "nitrokit/cache";

let renders = 0;

export default defineCachedHandler(
  () => {
    renders++;
    return html`<p>Rendered ${renders} time(s)</p>`;
  },
  { maxAge: 60, shouldBypassCache: ({ req }) => req.url.includes("fresh=1") },
);
