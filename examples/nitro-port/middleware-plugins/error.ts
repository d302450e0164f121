import { defineErrorHandler } from "nitrokit";

export default defineErrorHandler((error, event) => {
  return new Response(`Custom error page for ${event.url.pathname}: ${error.message}`, {
    status: error.status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
});
