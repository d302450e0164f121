// Baseline: a fetch-only Bun.serve with hand routing, the two routes.
const users = /^\/api\/users\/([^/]+)$/;
Bun.serve({
  port: Number(process.env.PORT ?? 3000),
  hostname: "127.0.0.1",
  fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === "/api/hello") return Response.json({ message: "Hello from Nitro!" });
    const match = users.exec(pathname);
    if (match) return Response.json({ userId: match[1] });
    return new Response("Not Found", { status: 404 });
  },
});
