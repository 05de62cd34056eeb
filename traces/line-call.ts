// Reading one call of the line format back into an event: the inverse of formatCall in
// traces/print.ts. Each event type has a signature, one entry per printed argument, saying which
// field the argument fills and how it is spelled (a quoted path, NULL, an fd, AT_FDCWD, a flag list
// `A|B` with `0` for none, `SCM_RIGHTS[3, 4]`, the mount_setattr attr struct) or which constant the
// call always prints (`0755`, `MSG_DONTWAIT`).
import type { Event, EventType } from '../model/index.js';
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
import type { Field } from './validate.js';
import { eventProblem, EVENT_FIELDS, isId, MAX_ID } from './validate.js';

type Param =
  | { readonly kind: 'path' | 'path-or-null' | 'fd' | 'dirfd' | 'scm-rights'; readonly field: Field }
  | { readonly kind: 'flags'; readonly field: Field; readonly known: readonly string[]; readonly none?: string; readonly first?: string }
  | { readonly kind: 'word'; readonly field: Field; readonly known: readonly string[] }
  | { readonly kind: 'constant'; readonly text: string }
  | { readonly kind: 'mount-attr' };

const path = (field: Field): Param => ({ kind: 'path', field });
const fd = (field: Field = 'fd'): Param => ({ kind: 'fd', field });
const dirfd = (field: Field): Param => ({ kind: 'dirfd', field });
const flags = (known: readonly string[], field: Field = 'flags'): Param => ({ kind: 'flags', field, known });
const constant = (text: string): Param => ({ kind: 'constant', text });

/** How formatCall prints each event, argument by argument. */
export const SIGNATURES: Readonly<Record<EventType, readonly Param[]>> = {
  clone: [{ kind: 'flags', field: 'flags', known: CLONE_FLAGS, none: 'SIGCHLD' }],
  unshare: [flags(CLONE_FLAGS)],
  setns: [fd(), { kind: 'word', field: 'nstype', known: SETNS_TYPES }],
  exit: [constant('0')],
  capset: [flags(CAPABILITIES, 'effective')],
  mkdir: [path('path'), constant('0755')],
  rmdir: [path('path')],
  mknod: [path('path'), constant('S_IFREG|0644')],
  unlink: [path('path')],
  open: [path('path'), { kind: 'flags', field: 'flags', known: OPEN_FLAGS, first: 'O_RDONLY' }],
  close: [fd()],
  dup: [fd()],
  chdir: [path('path')],
  fchdir: [fd()],
  chroot: [path('path')],
  mount: [{ kind: 'path-or-null', field: 'source' }, path('target'), { kind: 'path-or-null', field: 'fstype' }, flags(MOUNT_FLAGS)],
  umount2: [path('target'), flags(UMOUNT_FLAGS)],
  socketpair: [constant('AF_UNIX'), constant('SOCK_STREAM'), constant('0')],
  sendmsg: [fd(), { kind: 'scm-rights', field: 'fds' }],
  recvmsg: [fd(), constant('MSG_DONTWAIT')],
  pivot_root: [path('new_root'), path('put_old')],
  open_tree: [dirfd('dfd'), path('path'), flags(OPEN_TREE_FLAGS)],
  move_mount: [dirfd('from_dfd'), path('from_path'), dirfd('to_dfd'), path('to_path'), flags(MOVE_MOUNT_FLAGS)],
  fsopen: [path('fsname'), constant('0')],
  fsconfig: [fd(), { kind: 'word', field: 'cmd', known: ['FSCONFIG_CMD_CREATE'] }, constant('NULL'), constant('NULL'), constant('0')],
  fsmount: [fd(), constant('0'), flags(MOUNT_ATTRS, 'attr')],
  mount_setattr: [dirfd('dfd'), path('path'), flags(MOUNT_SETATTR_FLAGS), { kind: 'mount-attr' }],
};

/** A mistake in a call, in words; the caller adds the place. */
export class CallError extends Error {}

function fail(message: string): never {
  throw new CallError(message);
}

/** The arguments of a call: the text after `name(` split at top-level commas, up to its `)`. */
function splitArguments(text: string, name: string): { readonly args: string[]; readonly end: number } {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      index++;
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
      if (index >= text.length) fail(`${name}: a quoted string has no closing quote; close it with "`);
    } else if (char === '[' || char === '{') depth++;
    else if ((char === ']' || char === '}') && depth > 0) depth--;
    else if (char === ',' && depth === 0) {
      args.push(text.slice(start, index).trim());
      start = index + 1;
    } else if (char === ')' && depth === 0) {
      const last = text.slice(start, index).trim();
      if (last !== '' || args.length > 0) args.push(last);
      return { args, end: index + 1 };
    }
  }
  return fail(`${name}: the call has no closing ")"; end the argument list with ")"`);
}

const STRING_LITERAL = /^"(?:[^"\\]|\\.)*"$/s;

function decodeString(text: string, name: string, field: Field): string {
  if (!text.startsWith('"')) fail(`${name}: ${field} must be a quoted string such as "/mnt", not ${text === '' ? 'nothing' : text}; put it in double quotes`);
  if (!STRING_LITERAL.test(text)) fail(`${name}: ${field} ${text} is not one quoted string; close the quote right after the text`);
  try {
    return JSON.parse(text) as string;
  } catch {
    return fail(`${name}: ${field} ${text} has a bad escape; write strings as JSON does (\\" \\\\ \\n \\u00e9)`);
  }
}

function decodeNumber(text: string, name: string, field: Field): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!isId(value)) fail(`${name}: ${field} must be a whole number from 0 to ${MAX_ID}, not ${text === '' ? 'nothing' : text}; write it in decimal`);
  return value;
}

function decodeFlags(text: string, name: string, field: Field, known: readonly string[], none = '0', first?: string): string[] {
  if (first === undefined && text === none) return [];
  const names = text.split('|').map((part) => part.trim());
  if (first !== undefined && names.shift() !== first) fail(`${name}: ${field} must start with ${first}, as in ${first}|${known[0] ?? ''}; add ${first}`);
  for (const flag of names) {
    if (!known.includes(flag)) {
      fail(`${name}: unknown flag "${flag}"; known: ${known.join(', ')} (${first === undefined ? `${none} for none` : `${first} alone for none`})`);
    }
  }
  return names;
}

/** `{attr_set=A|B, attr_clr=0, propagation=MS_SHARED}` of mount_setattr. */
function decodeMountAttr(text: string, name: string, into: Record<string, unknown>): void {
  const example = '{attr_set=MOUNT_ATTR_RDONLY, attr_clr=0, propagation=0}';
  const body = /^\{(.*)\}$/s.exec(text)?.[1];
  if (body === undefined) fail(`${name}: the attr argument must be a struct such as ${example}; write it in braces`);
  const seen = new Set<string>();
  for (const member of (body as string).split(',')) {
    const [key = '', value = ''] = member.split('=').map((part) => part.trim());
    if (seen.has(key)) fail(`${name}: ${key} is given twice in the attr struct; keep one`);
    seen.add(key);
    if (key === 'attr_set' || key === 'attr_clr') into[key] = decodeFlags(value, name, key, MOUNT_ATTRS);
    else if (key === 'propagation') {
      if (value !== '0' && !(PROPAGATION_TYPES as readonly string[]).includes(value)) {
        fail(`${name}: unknown propagation "${value}"; known: ${PROPAGATION_TYPES.join(', ')}, 0 for none`);
      }
      into.propagation = value === '0' ? null : value;
    } else fail(`${name}: unknown member "${key}" of the attr struct; it has attr_set, attr_clr and propagation, as in ${example}`);
  }
  for (const key of ['attr_set', 'attr_clr', 'propagation']) {
    if (!seen.has(key)) fail(`${name}: the attr struct lacks ${key}; write all three, as in ${example}`);
  }
}

function decodeArgument(param: Param, text: string, name: string, into: Record<string, unknown>): void {
  switch (param.kind) {
    case 'path':
      into[param.field] = decodeString(text, name, param.field);
      return;
    case 'path-or-null':
      into[param.field] = text === 'NULL' ? null : decodeString(text, name, param.field);
      return;
    case 'fd':
      into[param.field] = decodeNumber(text, name, param.field);
      return;
    case 'dirfd':
      if (text !== 'AT_FDCWD' && !/^\d+$/.test(text)) fail(`${name}: ${param.field} must be AT_FDCWD or an fd, not ${text === '' ? 'nothing' : text}; write one of them`);
      into[param.field] = text === 'AT_FDCWD' ? 'AT_FDCWD' : decodeNumber(text, name, param.field);
      return;
    case 'flags':
      into[param.field] = decodeFlags(text, name, param.field, param.known, param.none, param.first);
      return;
    case 'word':
      if (!param.known.includes(text)) fail(`${name}: unknown ${param.field} "${text}"; known: ${param.known.join(', ')}`);
      into[param.field] = text;
      return;
    case 'constant':
      if (text !== param.text) fail(`${name}: this argument is always ${param.text} in the model, not ${text === '' ? 'nothing' : text}; write ${param.text}`);
      return;
    case 'scm-rights': {
      const list = /^SCM_RIGHTS\[(.*)\]$/s.exec(text)?.[1];
      if (list === undefined) fail(`${name}: the message must be SCM_RIGHTS[fd, ...], not ${text}; list the fds it passes`);
      const items = (list as string).trim() === '' ? [] : (list as string).split(',').map((item) => item.trim());
      into[param.field] = items.map((item) => decodeNumber(item, name, param.field));
      return;
    }
    case 'mount-attr':
      decodeMountAttr(text, name, into);
      return;
  }
}

/** How a call is written: `mount("source"|NULL, "target", "fstype"|NULL, MS_...|0)`. */
export function usage(type: EventType): string {
  const spell = (param: Param): string => {
    switch (param.kind) {
      case 'path':
        return `"${param.field}"`;
      case 'path-or-null':
        return `"${param.field}"|NULL`;
      case 'fd':
        return param.field;
      case 'dirfd':
        return `${param.field}|AT_FDCWD`;
      case 'scm-rights':
        return 'SCM_RIGHTS[fd, ...]';
      case 'flags':
        return param.first === undefined ? `${param.field}|${param.none ?? '0'}` : `${param.first}|${param.field}`;
      case 'word':
        return param.known.join('|');
      case 'constant':
        return param.text;
      case 'mount-attr':
        return '{attr_set=..., attr_clr=..., propagation=...}';
    }
  };
  return `${type}(${SIGNATURES[type].map(spell).join(', ')})`;
}

/** The event a call spells, and where the call ends in `text`: `mount("none", "/mnt", "tmpfs", 0)`. */
export function parseCall(text: string, task: number): { readonly event: Event; readonly end: number } {
  const name = /^([A-Za-z_0-9]+)\(/.exec(text)?.[1];
  if (name === undefined) fail(`expected a call such as mount("none", "/mnt", "tmpfs", 0) after "[pid N] "; write the syscall and its arguments`);
  const type = name as string;
  if (!(EVENT_TYPES as readonly string[]).includes(type)) fail(`unknown event "${type}"; known events: ${EVENT_TYPES.join(', ')}`);
  const signature = SIGNATURES[type as EventType];
  const { args, end } = splitArguments(text.slice(type.length + 1), type);
  if (args.length !== signature.length) {
    fail(`${type} takes ${signature.length} argument${signature.length === 1 ? '' : 's'}, not ${args.length}; write ${usage(type as EventType)}`);
  }
  const fields: Record<string, unknown> = { type, task };
  signature.forEach((param, index) => decodeArgument(param, args[index] ?? '', type, fields));
  const event = Object.fromEntries([['type', type], ...EVENT_FIELDS[type as EventType].map((field) => [field, fields[field]])]) as unknown;
  const problem = eventProblem(event);
  if (problem !== null) fail(problem);
  return { event: event as Event, end: type.length + 1 + end };
}
