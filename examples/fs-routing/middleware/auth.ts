// middleware/auth.ts
import { defineMiddleware } from "nitrokit/h3";

export default defineMiddleware((event) => {
  // Add request context available to all routes
  const authHeader = event.headers.get("authorization");

  if (authHeader?.startsWith("Bearer ")) {
    const token = authHeader.substring(7);
    event.context.auth = {
      userId: "user-123", // In real app, verify token
      isAuthenticated: true,
      token
    };
  } else {
    event.context.auth = {
      isAuthenticated: false
    };
  }

  // Log all requests
  console.log(`[${new Date().toISOString()}] ${event.method} ${event.path}`);

  // Don't return anything to continue to route handlers
});
