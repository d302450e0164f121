// routes/api/hello.ts
import { defineHandler } from "nitrokit/h3";

export default defineHandler(() => {
  return { message: "Hello from Nitro!" };
});

// Access: GET http://localhost:3000/api/hello
// Response: {"message":"Hello from Nitro!"}
