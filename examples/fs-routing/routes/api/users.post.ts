// routes/api/users.post.ts
// One change from the seed besides the import paths: createError is imported (the seed
// uses it without an import, and Nitro v3 has no auto-imports).
import { defineHandler, readBody, createError } from "nitrokit/h3";

export default defineHandler(async (event) => {
  const body = await readBody(event);

  // Validate and process the body
  if (!body.name || !body.email) {
    throw createError({
      statusCode: 400,
      message: "Name and email are required"
    });
  }

  // In a real app, save to database
  const newUser = {
    id: Math.random().toString(36).substr(2, 9),
    name: body.name,
    email: body.email,
    createdAt: new Date().toISOString()
  };

  return {
    success: true,
    user: newUser
  };
});

// Usage:
// curl -X POST http://localhost:3000/api/users \
//   -H "Content-Type: application/json" \
//   -d '{"name":"Jane Doe","email":"jane@example.com"}'
// Response: {"success":true,"user":{"id":"abc123","name":"Jane Doe","email":"jane@example.com","createdAt":"2025-01-15T10:30:00.000Z"}}
