import { defineHandler } from "nitrokit";
import { defineCachedFunction } from "nitrokit/cache";
import { useStorage } from "nitrokit/storage";

let computed = 0;

const countVisits = defineCachedFunction(
  async () => {
    computed++;
    return { visits: (await useStorage().getItem<number>("visits")) ?? 0, computed };
  },
  { maxAge: 60, name: "visits" },
);

export default defineHandler(() => countVisits());
