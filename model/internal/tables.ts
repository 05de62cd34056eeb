import { isDraft, original } from 'immer';

// Small helpers over the state's Record tables. Integer-like keys iterate in ascending order, so
// every walk over a table is deterministic.

export function values<K extends number, V>(table: Readonly<Record<K, V>>): V[] {
  return Object.values(table) as V[];
}

export function keys<K extends number>(table: Readonly<Record<K, unknown>>): K[] {
  return Object.keys(table).map(Number) as K[];
}

export function size(table: Readonly<Record<number, unknown>>): number {
  return Object.keys(table).length;
}

/**
 * The entries of a draft table whose fields named by `immutable` match, read from the step's base
 * state where the entry existed before the step: scanning a whole draft table would otherwise give
 * every entry an immer proxy. Only fields that never change after creation may be tested this way.
 */
export function scanImmutable<K extends number, V extends object>(
  table: Readonly<Record<K, V>>,
  matches: (value: V) => boolean,
): K[] {
  const base = (isDraft(table) ? original(table) : table) as Readonly<Record<K, V>> | undefined;
  const found: K[] = [];
  for (const key of Object.keys(table)) {
    const id = Number(key) as K;
    const value = base?.[id] ?? table[id];
    if (value !== undefined && matches(value)) found.push(id);
  }
  return found;
}
