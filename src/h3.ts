/**
 * h3's API as h3 users know it, re-exported (not wrapped) so that Nitro code
 * importing from `nitro/h3` runs with `nitrokit/h3`. The input readers are the
 * exception: `readBody`, `readValidatedBody`, `getQuery` and `getValidatedQuery` are
 * h3's with a refusal (400) of prototype-polluting keys added.
 * @module
 */
export * from "h3";
export { getQuery, getValidatedQuery, readBody, readValidatedBody } from "./input/safe-readers.js";
