import { defineTask } from "nitrokit/task";
import { useStorage } from "nitrokit/storage";

export default defineTask({
  meta: { description: "Counts one visit" },
  async run() {
    const storage = useStorage();
    const visits = ((await storage.getItem<number>("visits")) ?? 0) + 1;
    await storage.setItem("visits", visits);
    return { result: visits };
  },
});
