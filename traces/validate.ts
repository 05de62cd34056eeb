// Checking the events of a trace read from disk before they reach the reducer: the reducer is
// total over well-typed events (a dead task gets ESRCH, a closed fd EBADF), so what must be
// caught here is what is not a well-typed event at all.
import type { Event } from '../model/index.js';
import { CAPABILITIES, CLONE_FLAGS, EVENT_TYPES, MOUNT_FLAGS, OPEN_FLAGS, SETNS_TYPES, UMOUNT_FLAGS } from '../model/index.js';

type Field = 'task' | 'fd' | 'path' | 'target' | 'source' | 'fstype' | 'flags' | 'fds' | 'nstype' | 'effective';

const FIELDS: Readonly<Record<Event['type'], readonly Field[]>> = {
  clone: ['task', 'flags'],
  unshare: ['task', 'flags'],
  setns: ['task', 'fd', 'nstype'],
  exit: ['task'],
  capset: ['task', 'effective'],
  mkdir: ['task', 'path'],
  rmdir: ['task', 'path'],
  mknod: ['task', 'path'],
  unlink: ['task', 'path'],
  open: ['task', 'path', 'flags'],
  close: ['task', 'fd'],
  dup: ['task', 'fd'],
  chdir: ['task', 'path'],
  fchdir: ['task', 'fd'],
  chroot: ['task', 'path'],
  mount: ['task', 'source', 'target', 'fstype', 'flags'],
  umount2: ['task', 'target', 'flags'],
  socketpair: ['task'],
  sendmsg: ['task', 'fd', 'fds'],
  recvmsg: ['task', 'fd'],
};

const FLAGS: Partial<Record<Event['type'], readonly string[]>> = {
  clone: CLONE_FLAGS,
  unshare: CLONE_FLAGS,
  open: OPEN_FLAGS,
  mount: MOUNT_FLAGS,
  umount2: UMOUNT_FLAGS,
};

const isId = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= 2 ** 31;

/** Returns what is wrong with `value` as an event, or null when it is one. */
export function eventProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'an event must be an object with a "type"';
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return `unknown event "${String(type)}"; known events: ${EVENT_TYPES.join(', ')}`;
  }
  for (const field of FIELDS[type as Event['type']]) {
    const got = record[field];
    switch (field) {
      case 'task':
      case 'fd':
        if (!isId(got)) return `${type}: "${field}" must be a whole number, not ${JSON.stringify(got)}`;
        break;
      case 'path':
      case 'target':
        if (typeof got !== 'string') return `${type}: "${field}" must be a path string`;
        break;
      case 'source':
      case 'fstype':
        if (got !== null && typeof got !== 'string') return `${type}: "${field}" must be a string or null`;
        break;
      case 'fds':
        if (!Array.isArray(got) || !got.every(isId)) return `${type}: "fds" must be a list of whole numbers`;
        break;
      case 'nstype':
        if (!(SETNS_TYPES as readonly string[]).includes(String(got))) return `setns: unknown nstype ${JSON.stringify(got)}; one of ${SETNS_TYPES.join(', ')}`;
        break;
      case 'effective':
      case 'flags': {
        const known = field === 'effective' ? CAPABILITIES : (FLAGS[type as Event['type']] ?? []);
        if (!Array.isArray(got)) return `${type}: "${field}" must be a list of names`;
        const unknown = got.find((flag) => !known.includes(String(flag)));
        if (unknown !== undefined) return `${type}: unknown flag ${JSON.stringify(unknown)}; known: ${known.join(', ')}`;
        break;
      }
    }
  }
  return null;
}
