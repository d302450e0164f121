// routes/api/users/[id].get.ts
import { defineHandler } from "nitrokit/h3";

export default defineHandler((event) => {
  const { id } = event.context.params;

  return {
    userId: id,
    profile: {
      name: "John Doe",
      email: `user${id}@example.com`
    }
  };
});

// Access: GET http://localhost:3000/api/users/123
// Response: {"userId":"123","profile":{"name":"John Doe","email":"user123@example.com"}}
