// nitrokit-full without rule (see _full-variant.mjs), for A/B runs with --server.
import { start } from "./_full-variant.mjs";
start("norule");
