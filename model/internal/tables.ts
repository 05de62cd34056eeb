import type { Draft } from 'immer';
import { isDraft, original } from 'immer';

// Helpers over the state's Record tables. Integer-like keys iterate in ascending order, so every
// walk over a table is deterministic.

/**
 * The entries of a draft table whose fields named by `immutable` match, read from the step's base
 * state where the entry existed before the step: scanning a whole draft table would otherwise give
 * every entry an immer proxy. Only fields that never change after creation may be tested this way.
 */
export function scanImmutable<K extends number, V extends object>(
  table: Readonly<Record<K, V>>,
  matches: (value: V) => boolean,
): K[] {
  const base = (isDraft(table) ? original(table as Draft<Record<K, V>>) : table) as Readonly<Record<K, V>> | undefined;
  const found: K[] = [];
  for (const key of Object.keys(table)) {
    const id = Number(key) as K;
    const value = base?.[id] ?? table[id];
    if (value !== undefined && matches(value)) found.push(id);
  }
  return found;
}

/**
 * The entries of a table as they stand now, in key order, without drafting any: on a draft table,
 * immer's getOwnPropertyDescriptor trap hands back the latest value as it is (the base object of
 * an untouched entry, the draft of a touched one) where a plain read would wrap every entry in a
 * new proxy that the end of the step must then finalize.
 */
export function latestValues<K extends number, V extends object>(table: Readonly<Record<K, V>>): V[] {
  if (!isDraft(table)) return Object.values(table);
  const descriptors = Object.getOwnPropertyDescriptors(table) as Record<string, TypedPropertyDescriptor<V>>;
  const values: V[] = [];
  for (const key of Object.keys(descriptors)) {
    const value = descriptors[key]?.value;
    if (value !== undefined) values.push(value);
  }
  return values;
}

/** One entry of a table (or one field of an object) as it stands now, without drafting it (see latestValues()). */
export function latestValue<T extends object, K extends keyof T>(object: T, key: K): T[K] | undefined {
  if (!isDraft(object)) return object[key];
  return (Object.getOwnPropertyDescriptor(object, key) as TypedPropertyDescriptor<T[K]> | undefined)?.value;
}
