// routes/api/protected.ts
import { defineHandler, createError } from "nitrokit/h3";

export default defineHandler((event) => {
  if (!event.context.auth?.isAuthenticated) {
    throw createError({
      statusCode: 401,
      message: "Unauthorized"
    });
  }

  return {
    message: "Protected data",
    userId: event.context.auth.userId
  };
});
