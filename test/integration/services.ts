import { describe } from "vitest";

type Service = "REDIS" | "POSTGRES" | "MYSQL";

const reported = new Set<Service>();

/**
 * `describe` for tests that need a real service, found through NITROKIT_TEST_<NAME>_URL.
 * Without the variable the block is skipped and says so; with NITROKIT_REQUIRE_SERVICES=1
 * (set by .ci/run) a missing variable fails instead, and an unreachable service fails
 * the tests that use it.
 */
export function describeWithService(service: Service, title: string, body: (url: string) => void): void {
  const variable = `NITROKIT_TEST_${service}_URL`;
  const url = process.env[variable];
  if (url) {
    describe(title, () => body(url));
    return;
  }
  if (process.env.NITROKIT_REQUIRE_SERVICES) {
    describe(title, () => {
      throw new Error(`${variable} is not set, and NITROKIT_REQUIRE_SERVICES requires ${service.toLowerCase()}.`);
    });
    return;
  }
  if (!reported.has(service)) {
    reported.add(service);
    console.warn(`[nitrokit tests] skipped: ${title} (set ${variable} to run against a real ${service.toLowerCase()})`);
  }
  describe.skip(`${title} (skipped: ${variable} not set)`, () => body(""));
}

/** A name unique to this test run, safe as a key prefix or SQL identifier. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
