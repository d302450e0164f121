import { defineHandler } from "nitrokit";
import { useStorage } from "nitrokit/storage";

export default defineHandler(async () => {
  const storage = useStorage("notes");
  const keys = await storage.getKeys();
  return { notes: await Promise.all(keys.map((key) => storage.getItem(key))) };
});
