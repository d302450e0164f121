/**
 * The slice of the Standard Schema spec (standardschema.dev) nitrokit reads: zod 4,
 * valibot, arktype and others implement it, so validated routes are not tied to zod.
 * The spec is meant to be restated by its users rather than imported.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** A schema's verdict: the parsed value, or the issues found. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/** One problem a schema found, with the path to the offending value. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** What a schema accepts (`z.input`): the type a client sends. */
export type InferInput<S> = S extends StandardSchemaV1 ? NonNullable<S["~standard"]["types"]>["input"] : unknown;

/** What a schema produces (`z.output`): the type a handler receives. */
export type InferOutput<S> = S extends StandardSchemaV1 ? NonNullable<S["~standard"]["types"]>["output"] : unknown;

/** True for any Standard Schema (zod 4, valibot, arktype, …). */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { "~standard"?: { validate?: unknown } })["~standard"]?.validate === "function"
  );
}
