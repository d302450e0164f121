/**
 * h3's API as h3 users know it, re-exported (not wrapped) so that Nitro code
 * importing from `nitro/h3` runs with `nitrokit/h3`.
 * @module
 */
export * from "h3";
