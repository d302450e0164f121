/**
 * Streaming uploads: `readMultipart()` and `saveUpload()`.
 * @module
 */
export { readMultipart, type MultipartField, type MultipartFile, type MultipartLimits, type MultipartPart, type ReadMultipartOptions } from "./multipart.js";
export { saveUpload, type SavedUpload, type SaveUploadOptions } from "./save.js";
