// nitrokit-full without hook (see _full-variant.mjs), for A/B runs with --server.
import { start } from "./_full-variant.mjs";
start("nohook");
