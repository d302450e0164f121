import type { StandardSchemaV1 } from "../typed/schema.js";

/** A JSON Schema (draft 2020-12, OpenAPI 3.1's dialect) as plain data. */
export type JSONSchema = Record<string, unknown>;

interface StandardJSONSchemaConverter {
  input(options: { target: string; libraryOptions?: Record<string, unknown> }): JSONSchema;
  output(options: { target: string; libraryOptions?: Record<string, unknown> }): JSONSchema;
}

/**
 * Collects the JSON Schemas of one document: converts route schemas through the
 * Standard JSON Schema interface (zod 4 implements it; `z.toJSONSchema` underneath)
 * and moves each schema's `$defs` (recursive or `.meta({ id })` schemas) into
 * `components.schemas`, where references inside an OpenAPI document must point.
 */
export class SchemaCollector {
  readonly components: Record<string, JSONSchema>;

  /** `reserved` components are kept; definitions with the same name get a suffix. */
  constructor(reserved: Record<string, JSONSchema> = {}) {
    this.components = { ...reserved };
  }

  /**
   * The JSON Schema of what `schema` accepts (`"input"`) or produces (`"output"`);
   * `{}` (anything) when the library cannot describe it. A schema that refers to itself
   * (`$ref: "#"`, a recursive `z.lazy`) becomes the component `name` and a reference to it.
   */
  convert(schema: StandardSchemaV1, io: "input" | "output", name: string): JSONSchema {
    const converter = (schema["~standard"] as { jsonSchema?: StandardJSONSchemaConverter }).jsonSchema;
    if (!converter) return {};
    let json: JSONSchema;
    try {
      // `unrepresentable: "any"` is zod's: a Date or a transform becomes {} instead of throwing.
      json = converter[io]({ target: "draft-2020-12", libraryOptions: { unrepresentable: "any" } });
    } catch {
      return {};
    }
    const { $schema: _dialect, $defs, ...rest } = json;
    const renamed = this.#adoptDefinitions(($defs ?? {}) as Record<string, JSONSchema>);
    if (!JSON.stringify(rest).includes('"$ref":"#"')) return rewriteRefs(rest, renamed) as JSONSchema;
    const self = this.#reserve(name);
    renamed.set("", self);
    this.components[self] = rewriteRefs(rest, renamed) as JSONSchema;
    return { $ref: `#/components/schemas/${self}` };
  }

  /** A component name not taken yet: `name`, else `name_2`, `name_3`, ... */
  #reserve(name: string): string {
    let target = name;
    for (let n = 2; target in this.components; n++) target = `${name}_${n}`;
    this.components[target] = {};
    return target;
  }

  #adoptDefinitions(definitions: Record<string, JSONSchema>): Map<string, string> {
    const renamed = new Map<string, string>();
    for (const name of Object.keys(definitions)) renamed.set(name, this.#reserve(name));
    for (const [name, definition] of Object.entries(definitions)) {
      this.components[renamed.get(name)!] = rewriteRefs(definition, renamed) as JSONSchema;
    }
    return renamed;
  }
}

function rewriteRefs(value: unknown, renamed: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renamed));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "$ref" && typeof item === "string") {
      // "#" is the schema itself (renamed under ""), "#/$defs/X" one of its definitions.
      const name = item === "#" ? "" : /^#\/\$defs\/(.+)$/.exec(item)?.[1];
      out[key] = name !== undefined && renamed.has(name) ? `#/components/schemas/${renamed.get(name)}` : item;
    } else {
      out[key] = rewriteRefs(item, renamed);
    }
  }
  return out;
}
