// Checking the events of a trace read from disk before they reach the reducer: the reducer is
// total over well-typed events (a dead task gets ESRCH, a closed fd EBADF), so what must be
// caught here is what is not a well-typed event at all.
import type { Event } from '../model/index.js';
import {
  CAPABILITIES,
  CLONE_FLAGS,
  EVENT_TYPES,
  MOUNT_ATTRS,
  MOUNT_FLAGS,
  MOUNT_SETATTR_FLAGS,
  MOVE_MOUNT_FLAGS,
  OPEN_FLAGS,
  OPEN_TREE_FLAGS,
  PROPAGATION_TYPES,
  SETNS_TYPES,
  UMOUNT_FLAGS,
} from '../model/index.js';

/** The fields an event carries besides its type; each has one kind of value. */
export type Field =
  | 'task'
  | 'fd'
  | 'path'
  | 'target'
  | 'source'
  | 'fstype'
  | 'flags'
  | 'fds'
  | 'nstype'
  | 'effective'
  | 'new_root'
  | 'put_old'
  | 'dfd'
  | 'from_dfd'
  | 'to_dfd'
  | 'from_path'
  | 'to_path'
  | 'fsname'
  | 'cmd'
  | 'attr'
  | 'attr_set'
  | 'attr_clr'
  | 'propagation';

/** What kind of value each field holds: the one place that says so, for the checks, the schema and the generators. */
export type FieldKind = 'id' | 'string' | 'dirfd' | 'cmd' | 'propagation' | 'attrs' | 'string-or-null' | 'ids' | 'nstype' | 'capabilities' | 'flags';

export const FIELD_KINDS: Readonly<Record<Field, FieldKind>> = {
  task: 'id',
  fd: 'id',
  path: 'string',
  target: 'string',
  new_root: 'string',
  put_old: 'string',
  from_path: 'string',
  to_path: 'string',
  fsname: 'string',
  dfd: 'dirfd',
  from_dfd: 'dirfd',
  to_dfd: 'dirfd',
  cmd: 'cmd',
  propagation: 'propagation',
  attr: 'attrs',
  attr_set: 'attrs',
  attr_clr: 'attrs',
  source: 'string-or-null',
  fstype: 'string-or-null',
  fds: 'ids',
  nstype: 'nstype',
  effective: 'capabilities',
  flags: 'flags',
};

/** The fields of each event type, in the order the syscall takes its arguments. */
export const EVENT_FIELDS: Readonly<Record<Event['type'], readonly Field[]>> = {
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
  pivot_root: ['task', 'new_root', 'put_old'],
  open_tree: ['task', 'dfd', 'path', 'flags'],
  move_mount: ['task', 'from_dfd', 'from_path', 'to_dfd', 'to_path', 'flags'],
  fsopen: ['task', 'fsname'],
  fsconfig: ['task', 'fd', 'cmd'],
  fsmount: ['task', 'fd', 'attr'],
  mount_setattr: ['task', 'dfd', 'path', 'flags', 'attr_set', 'attr_clr', 'propagation'],
};

/** The names each event type's "flags" field may hold. */
export const EVENT_FLAGS: Partial<Record<Event['type'], readonly string[]>> = {
  clone: CLONE_FLAGS,
  unshare: CLONE_FLAGS,
  open: OPEN_FLAGS,
  mount: MOUNT_FLAGS,
  umount2: UMOUNT_FLAGS,
  open_tree: OPEN_TREE_FLAGS,
  move_mount: MOVE_MOUNT_FLAGS,
  mount_setattr: MOUNT_SETATTR_FLAGS,
};

/** A task id or fd as a trace may name it: a whole number from 0 to 2^31. */
export const MAX_ID = 2 ** 31;
export const isId = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_ID;

/** Returns what is wrong with `value` as an event, or null when it is one. */
export function eventProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'an event must be an object with a "type"';
  const record = value as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return `unknown event "${String(type)}"; known events: ${EVENT_TYPES.join(', ')}`;
  }
  for (const field of EVENT_FIELDS[type as Event['type']]) {
    const got = record[field];
    switch (FIELD_KINDS[field]) {
      case 'id':
        if (!isId(got)) return `${type}: "${field}" must be a whole number, not ${JSON.stringify(got)}`;
        break;
      case 'string':
        if (typeof got !== 'string') return `${type}: "${field}" must be a string`;
        break;
      case 'dirfd':
        if (got !== 'AT_FDCWD' && !isId(got)) return `${type}: "${field}" must be a whole number or "AT_FDCWD"`;
        break;
      case 'cmd':
        if (got !== 'FSCONFIG_CMD_CREATE') return `${type}: "cmd" must be "FSCONFIG_CMD_CREATE", the only command modelled`;
        break;
      case 'propagation':
        if (got !== null && !(typeof got === 'string' && (PROPAGATION_TYPES as readonly string[]).includes(got))) {
          return `${type}: "propagation" must be null or one of ${PROPAGATION_TYPES.join(', ')}`;
        }
        break;
      case 'attrs': {
        if (!Array.isArray(got)) return `${type}: "${field}" must be a list of names`;
        const unknown = got.find((attr) => typeof attr !== 'string' || !(MOUNT_ATTRS as readonly string[]).includes(attr));
        if (unknown !== undefined) return `${type}: unknown attribute ${JSON.stringify(unknown)}; known: ${MOUNT_ATTRS.join(', ')}`;
        break;
      }
      case 'string-or-null':
        if (got !== null && typeof got !== 'string') return `${type}: "${field}" must be a string or null`;
        break;
      case 'ids':
        if (!Array.isArray(got) || !got.every(isId)) return `${type}: "${field}" must be a list of whole numbers`;
        break;
      case 'nstype':
        if (typeof got !== 'string' || !(SETNS_TYPES as readonly string[]).includes(got)) return `setns: unknown nstype ${JSON.stringify(got)}; one of ${SETNS_TYPES.join(', ')}`;
        break;
      case 'capabilities':
      case 'flags': {
        const known = FIELD_KINDS[field] === 'capabilities' ? CAPABILITIES : (EVENT_FLAGS[type as Event['type']] ?? []);
        if (!Array.isArray(got)) return `${type}: "${field}" must be a list of names`;
        const unknown = got.find((flag) => typeof flag !== 'string' || !known.includes(flag));
        if (unknown !== undefined) return `${type}: unknown flag ${JSON.stringify(unknown)}; known: ${known.join(', ')}`;
        break;
      }
    }
  }
  return null;
}
