import type { H3Event } from "h3";
import type { TaskLock } from "./types.js";

/**
 * One `scheduledTasks` entry: a task name, several, or (nitrokit's addition to
 * Nitro's forms) an object that also names the time zone its cron runs in.
 *
 * @example
 * scheduledTasks: {
 *   "0 * * * *": ["db:backup", "logs:rotate"],
 *   "0 9 * * 1": { tasks: ["reports:weekly"], timezone: "America/New_York" },
 * }
 */
export type NitroScheduledTasksEntry = string | string[] | { tasks: string | string[]; timezone?: string };

/** nitrokit's Redis lock: its own connection (`url`), or the connection of a storage mount on unstorage's redis driver. */
export interface NitroRedisTaskLockConfig {
  driver: "redis";
  /** `redis://[:password@]host:port[/db]` (or `rediss://` for TLS): nitrokit opens and closes its own connection. */
  url?: string;
  /** Or the name of a storage mount whose driver is `redis`: its connection is reused. */
  storage?: string;
  /**
   * Prefix of the lock keys. Instances that must share ticks use the same prefix; two
   * different apps on one Redis need different ones.
   * @default "nitrokit:tasks:" (after the mount's `base` with `storage`)
   */
  prefix?: string;
}

/** `scheduler`: how `scheduledTasks` are timed and, with several instances, shared. */
export interface NitroSchedulerConfig {
  /**
   * IANA time zone cron expressions are read in (`"Europe/Paris"`), unless an entry
   * names its own. Default: the process's local time zone (as Nitro).
   */
  timezone?: string;
  /**
   * A lock shared by every instance so each scheduled tick runs on exactly one of them,
   * and a run still going on one instance is not started on another. Without it every
   * instance runs every tick. See {@link TaskLock} for the guarantees and the key names.
   */
  lock?: NitroRedisTaskLockConfig | TaskLock;
  /**
   * Seconds a run's lock lives without renewal: how long the crash of an instance in
   * the middle of a run blocks the task's next ticks. Running instances renew it.
   * @default 30
   */
  lockTtl?: number;
}

/**
 * `tasksEndpoint`: serves `GET /_nitro/tasks` (tasks and schedule) and `POST /_nitro/tasks/:name`
 * (runs one), under `baseURL`. Off unless set; requires `token` and/or `authorize`, both
 * must pass when both are set.
 */
export interface NitroTasksEndpointConfig {
  /**
   * Clients send `Authorization: Bearer <token>` (compared in constant time). Missing
   * credentials answer 401 with `WWW-Authenticate: Bearer`, a wrong token 403.
   * At least 16 characters: use a random value (`openssl rand -hex 32`), from the environment.
   */
  token?: string;
  /** Decides per request; `false` answers 403. May throw an `HTTPError` of its own. */
  authorize?: (event: H3Event) => boolean | Promise<boolean>;
  /** Serve the endpoints with no check at all (a private network, tests). Never on a public host. */
  insecure?: boolean;
}
