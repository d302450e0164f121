// routes/api/[...slug].ts
import { defineHandler } from "nitrokit/h3";

export default defineHandler((event) => {
  const { slug } = event.context.params;

  return {
    path: slug,
    segments: slug.split('/'),
    url: event.url
  };
});

// Access: GET http://localhost:3000/api/products/electronics/laptops
// Response: {"path":"products/electronics/laptops","segments":["products","electronics","laptops"],"url":"http://localhost:3000/api/products/electronics/laptops"}
