#!/usr/bin/env node
/**
 * The `nitrokit` command (`bin` of the package).
 * @module
 */
import { runMain, showUsage, type ArgsDef, type CommandDef, type CommandMeta } from "citty";
import { main } from "./main.js";

void runMain(main, { showUsage: usage });

/** citty names a nested command by its parent alone ("task run"): put the program name in front. */
function usage<T extends ArgsDef>(cmd: CommandDef<T>, parent?: CommandDef<T>): Promise<void> {
  if (!parent || (parent as unknown) === main) return showUsage(cmd, parent);
  const meta = parent.meta as CommandMeta | undefined;
  return showUsage(cmd, { ...parent, meta: { ...meta, name: `nitrokit ${meta?.name ?? ""}` } });
}
