import { defineHandler, fetch } from "nitrokit";

// Calls the app's own route in-process: no socket, no port.
export default defineHandler(() => fetch("/api/hello"));
