/**
 * A deep copy of JSON-like data (what jobs, executions and records are made
 * of), several times faster than structuredClone on the small objects a store
 * copies on every write. Anything that is not a plain object, an array or a
 * primitive (a Date, a Map, a class instance) is handed to structuredClone.
 */
export function plainCopy<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key)) out[key] = copy((value as Record<string, unknown>)[key]);
  }
  return out;
}
