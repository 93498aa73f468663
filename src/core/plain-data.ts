// What a config may be made of: JSON values, copied out of whatever the caller handed over so that
// validation never meets a sparse array, a getter that throws or a structure deep enough to
// overflow the stack, and the caller cannot change the copy afterwards.
import type { ConfigIssue } from './config-error.js';
import { printable } from './format.js';

/** The deepest a config may nest (config → tissue → regions → [i] → center_um → [axis] is 5 levels). */
export const MAX_CONFIG_DEPTH = 16;
/** The most values a config may hold (a list of a million probes is not a config). */
export const MAX_CONFIG_VALUES = 1_000_000;

class NotPlainData extends Error {
  constructor(readonly field: string, readonly value: unknown, message: string) {
    super(message);
  }
}

/**
 * A copy of input made only of objects, lists, strings, numbers, booleans and null (typed arrays
 * become lists; a property holding undefined is left out, as JSON.stringify does), or the first
 * problem found with its field path.
 */
export function plainData(input: unknown): { value: unknown } | { issue: ConfigIssue } {
  let count = 0;
  const copy = (value: unknown, field: string, depth: number): unknown => {
    if (++count > MAX_CONFIG_VALUES) throw new NotPlainData(field, undefined, `the config holds more than ${MAX_CONFIG_VALUES} values`);
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value !== 'object') {
      throw new NotPlainData(field, undefined, `a ${typeof value} is not a config value (objects, lists, strings, numbers, booleans, null)`);
    }
    if (depth >= MAX_CONFIG_DEPTH) throw new NotPlainData(field, undefined, `nests deeper than ${MAX_CONFIG_DEPTH} levels (a config nests at most 5)`);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
    if (Array.isArray(value)) {
      const list: unknown[] = [];
      for (let index = 0; index < value.length; index++) {
        const at = `${field}[${index}]`;
        if (!(index in value)) throw new NotPlainData(at, undefined, 'an empty slot: sparse lists and new Array(n) are not config values; give every element');
        if (value[index] === undefined) throw new NotPlainData(at, undefined, 'undefined is not a config value');
        list.push(copy(value[index], at, depth + 1));
      }
      return list;
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new NotPlainData(field, undefined, `a ${prototype?.constructor?.name ?? 'special'} object is not a config value (plain objects, lists, strings, numbers, booleans, null)`);
    }
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const at = field ? `${field}.${key}` : key;
      let entry: unknown;
      try {
        entry = (value as Record<string, unknown>)[key];
      } catch (error) {
        throw new NotPlainData(at, undefined, `cannot be read: ${printable(String((error as Error)?.message ?? error), 120)}`);
      }
      // defineProperty, not assignment: a "__proto__" key (JSON.parse makes it an own key) stays a
      // key, which validation refuses as unknown, instead of becoming the copy's prototype.
      if (entry !== undefined) Object.defineProperty(object, key, { value: copy(entry, at, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return object;
  };
  try {
    return { value: copy(input, '', 0) };
  } catch (error) {
    const field = error instanceof NotPlainData ? error.field || '(config)' : '(config)';
    const reason = error instanceof NotPlainData ? error.message : `cannot be read: ${printable(String((error as Error)?.message ?? error), 120)}`;
    return { issue: { field, value: undefined, message: `${field}: ${reason}` } };
  }
}
