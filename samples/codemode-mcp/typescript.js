// Renders an operation of the processed spec (spec-processor.js) as a compact TypeScript
// declaration for `search` results: models write better calls from TypeScript than from JSON
// Schema. Types are cut below `depth` levels (to `object` / `unknown[]`), enums become literal
// unions (long ones are cut), allOf becomes an intersection merged into one object where it can,
// and true cycles ({ $circular }) become `unknown /* circular: <ref> */`.
//
//   operationToTypeScript("post", "/zones/{zone_id}/dns_records", operation) ->
//   /** Create DNS Record — POST /zones/{zone_id}/dns_records */
//   function dns_records_for_a_zone_create_dns_record(path: { zone_id: string }, body: ...): Promise<...>

// Self-contained (no module-level names), so the search sandbox can run it as a script:
// `(${makeTypeScript.toString()})()`.
export function makeTypeScript() {
  const MAX_ENUM = 12;
  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

  const key = (name) => (IDENT.test(name) ? name : JSON.stringify(name));

  // An allOf part that only annotates (description, readOnly, example...) adds no type.
  const typed = (s) => s && (s.type !== undefined || s.properties || s.allOf || s.oneOf || s.anyOf ||
                             s.enum || s.$circular || s.items || s.additionalProperties);

  // allOf parts that are plain objects merge into one object schema.
  function mergeAllOf(parts) {
    const merged = { type: "object", properties: {}, required: [] };
    for (const part of parts) {
      const p = part.allOf ? mergeAllOf(part.allOf) : part;
      if (!p || (p.type !== undefined && p.type !== "object") || p.oneOf || p.anyOf || p.$circular) return null;
      Object.assign(merged.properties, p.properties ?? {});
      merged.required.push(...(p.required ?? []));
    }
    return merged;
  }

  // `omit` is "readOnly" for what the caller sends and "writeOnly" for what comes back.
  function schemaToTypeScript(schema, depth = 3, indent = "", omit = "writeOnly") {
    if (schema === undefined || schema === null || schema === true) return "unknown";
    if (schema.$circular) return `unknown /* circular: ${schema.$circular} */`;
    if (schema.const !== undefined) return JSON.stringify(schema.const);  // OpenAPI 3.1
    if (schema.enum) {
      const values = schema.enum.slice(0, MAX_ENUM).map((v) => JSON.stringify(v));
      if (schema.enum.length > MAX_ENUM) values.push(`/* +${schema.enum.length - MAX_ENUM} more */ ${schema.type === "number" || schema.type === "integer" ? "number" : "string"}`);
      return values.join(" | ");
    }
    if (schema.allOf) {
      const parts = schema.allOf.filter(typed);
      if (parts.length === 0) return "unknown";
      if (parts.length === 1) return schemaToTypeScript(parts[0], depth, indent, omit);
      const merged = mergeAllOf(parts);
      if (merged) return schemaToTypeScript(merged, depth, indent, omit);
      return parts.map((s) => schemaToTypeScript(s, depth, indent, omit)).join(" & ");
    }
    const union = schema.oneOf ?? schema.anyOf;
    if (union) {
      const parts = [...new Set(union.map((s) => schemaToTypeScript(s, depth, indent, omit)))];
      return parts.length === 1 ? parts[0] : parts.map((p) => (p.includes("\n") ? `(${p})` : p)).join(" | ");
    }
    const type = Array.isArray(schema.type) ? schema.type : [schema.type];
    const nullable = schema.nullable === true || type.includes("null") ? " | null" : "";
    const t = type.find((x) => x !== "null");
    switch (t) {
      case "string": return `string${nullable}`;
      case "integer":
      case "number": return `number${nullable}`;
      case "boolean": return `boolean${nullable}`;
      case "array": {
        if (depth <= 0) return `unknown[]${nullable}`;
        const item = schemaToTypeScript(schema.items, depth - 1, indent, omit);
        return `${/[ |&\n]/.test(item) ? `(${item})` : item}[]${nullable}`;
      }
      default: {
        const props = schema.properties;
        if (!props || Object.keys(props).length === 0) {
          return schema.additionalProperties && depth > 0 && typeof schema.additionalProperties === "object"
            ? `Record<string, ${schemaToTypeScript(schema.additionalProperties, depth - 1, indent, omit)}>${nullable}`
            : `object${nullable}`;
        }
        if (depth <= 0) return `object${nullable}`;
        const required = new Set(schema.required ?? []);
        const inner = indent + "  ";
        const lines = Object.entries(props)
          .filter(([, s]) => !(s && s[omit]))
          .map(([name, s]) => `${inner}${key(name)}${required.has(name) ? "" : "?"}: ${schemaToTypeScript(s, depth - 1, inner, omit)};`);
        return `{\n${lines.join("\n")}\n${indent}}${nullable}`;
      }
    }
  }

  function parametersType(params, where, depth) {
    const list = (params ?? []).filter((p) => p && p.in === where);
    if (list.length === 0) return null;
    const lines = list.map((p) => `  ${key(p.name)}${p.required || where === "path" ? "" : "?"}: ${schemaToTypeScript(p.schema, depth - 1, "  ", "readOnly")};`);
    return { type: `{\n${lines.join("\n")}\n}`, required: list.some((p) => p.required || where === "path") };
  }

  function jsonSchemaOf(content) {
    if (!content) return undefined;
    const type = Object.keys(content).find((t) => t.includes("json")) ?? Object.keys(content)[0];
    return type === undefined ? undefined : content[type]?.schema;
  }

  // The `result` type of a success response (the envelope's `result` when there is one).
  function resultType(operation, depth) {
    const responses = operation.responses ?? {};
    const ok = Object.keys(responses).find((code) => /^2/.test(code));
    let schema = ok && jsonSchemaOf(responses[ok].content);
    if (schema === undefined) return "unknown";
    if (schema.allOf) schema = mergeAllOf(schema.allOf.filter(typed)) ?? schema;
    const result = schema.properties?.result;
    return result ? schemaToTypeScript(result, depth, "") : schemaToTypeScript(schema, depth, "");
  }

  function operationToTypeScript(method, path, operation, { depth = 3 } = {}) {
    const name = (operation.operationId ?? `${method}_${path}`).replace(/[^A-Za-z0-9_$]/g, "_");
    const args = [];
    for (const where of ["path", "query"]) {
      const p = parametersType(operation.parameters, where, depth);
      if (p) args.push(`${where}${p.required ? "" : "?"}: ${p.type}`);
    }
    const body = jsonSchemaOf(operation.requestBody?.content);
    if (body !== undefined) {
      args.push(`body${operation.requestBody.required ? "" : "?"}: ${schemaToTypeScript(body, depth, "", "readOnly")}`);
    }
    const title = operation.summary ? `${operation.summary} — ` : "";
    return `/** ${title}${method.toUpperCase()} ${path} */\n` +
      `function ${name}(${args.join(", ")}): Promise<${resultType(operation, depth)}>`;
  }

  return { schemaToTypeScript, operationToTypeScript };
}

export const { schemaToTypeScript, operationToTypeScript } = makeTypeScript();
