// nitrokit-full without mw (see _full-variant.mjs), for A/B runs with --server.
import { start } from "./_full-variant.mjs";
start("nomw");
