import { defineHandler } from "nitrokit/h3";

export const message = "Hello from the CLI example!";

export const hello = defineHandler(() => ({ message }));
