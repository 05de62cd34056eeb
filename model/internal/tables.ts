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
