/** True for a time zone name the runtime knows (`"Europe/Paris"`, `"UTC"`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
