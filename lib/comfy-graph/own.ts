// Safe access to objects keyed by untrusted strings (node ids, input names, class types):
// never read inherited properties, never assign through `__proto__`.

export type Dict<T = unknown> = Record<string, T>;

export function isPlainObject(v: unknown): v is Dict {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function getOwn<T = unknown>(obj: unknown, key: string): T | undefined {
  if (obj === null || typeof obj !== "object") return undefined;
  return hasOwn(obj, key) ? ((obj as Dict)[key] as T) : undefined;
}

/** Define an own enumerable property, even for keys like `__proto__`. */
export function setOwn(obj: object, key: string, value: unknown): void {
  if (key === "__proto__" || key === "constructor" || key === "prototype") {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (obj as Dict)[key] = value;
  }
}

export const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
