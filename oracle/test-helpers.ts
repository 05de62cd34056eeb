// Helpers of the oracle's tests: which mount namespaces the machine's processes are in.
import type { Event } from '../model/index.js';
import { readdirSync, readlinkSync } from 'node:fs';

/** The mount namespaces of every process on the machine. */
export function namespacesInUse(): Set<string> {
  const links = new Set<string>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      links.add(readlinkSync(`/proc/${pid}/ns/mnt`));
    } catch {
      // gone meanwhile, or not readable
    }
  }
  return links;
}

export async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 100 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Events written as plain JSON, as in a trace file (task numbers unbranded). */
export const asEvents = (list: readonly object[]): Event[] => list as unknown as Event[];
export const event = (plain: object): Event => plain as unknown as Event;
