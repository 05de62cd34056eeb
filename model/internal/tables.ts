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
  const base = (isDraft(table) ? original(table) : table) as Readonly<Record<K, V>> | undefined;
  const found: K[] = [];
  for (const key of Object.keys(table)) {
    const id = Number(key) as K;
    const value = base?.[id] ?? table[id];
    if (value !== undefined && matches(value)) found.push(id);
  }
  return found;
}
