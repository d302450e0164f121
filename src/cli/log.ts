/** Terminal output of the command: one prefix, colour only on a TTY that wants it. */
const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";

const paint = (code: number) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

const PREFIX = "[nitrokit]";

export function info(message: string): void {
  console.log(`${dim(PREFIX)} ${message}`);
}

export function warn(message: string): void {
  console.error(`${yellow(PREFIX)} ${message}`);
}

export function error(message: string): void {
  console.error(`${red(PREFIX)} ${message}`);
}
