/** Default request body limit: large enough for JSON APIs, small enough to refuse abuse. */
export const DEFAULT_MAX_REQUEST_BODY_SIZE = 1024 * 1024;
