/**
 * What a client receives for a handler's return value `T` once it went through
 * `JSON.stringify` and back: `Date` (and anything with `toJSON`) becomes what
 * `toJSON` returns, functions, symbols and `undefined` properties disappear,
 * `undefined` array items become `null`, `Map`/`Set` become `{}`.
 * Responses and binary bodies are not JSON: their type is `unknown`.
 */
export type Serialized<T> = unknown extends T
  ? unknown
  : T extends Response | ReadableStream | Blob | ArrayBuffer | ArrayBufferView
    ? unknown
    : T extends string | number | boolean | null
      ? T
      : T extends bigint
        ? never
        : T extends undefined | symbol | AnyFunction
          ? undefined
          : T extends { toJSON(): infer J }
            ? Serialized<J>
            : T extends ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>
              ? Record<string, never>
              : T extends readonly unknown[]
                ? { -readonly [K in keyof T]: SerializedItem<T[K]> }
                : T extends object
                  ? SerializedObject<T>
                  : never;

type AnyFunction = (...args: never[]) => unknown;

/** `JSON.stringify` writes `null` for array items it cannot represent. */
type SerializedItem<T> = T extends undefined | symbol | AnyFunction ? null : Serialized<T>;

/** Keys whose value never reaches the JSON. */
type DroppedKeys<T> = { [K in keyof T]-?: [T[K]] extends [undefined | symbol | AnyFunction] ? K : never }[keyof T];
/** Keys that may be missing: optional ones and those that may hold `undefined`. */
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

type SerializedObject<T> = Simplify<
  { [K in Exclude<keyof T, DroppedKeys<T> | OptionalKeys<T> | symbol>]: Serialized<T[K]> } & {
    [K in Exclude<OptionalKeys<T>, DroppedKeys<T> | symbol>]?: Serialized<Exclude<T[K], undefined>>;
  }
>;

/** Flattens an intersection for readable hovers and exact type equality. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};
