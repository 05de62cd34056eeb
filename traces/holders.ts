// Who holds an object, and why it is still alive. The holders are the references
// properties/references.ts lists (the ones refcounts-sound counts); the steps that took them are
// read from the history's patches (the steps where the object's count went up); `why` follows the
// reachability of no-leak back from the object to a live task or to the kernel's own mounts.
import type { Patch } from 'immer';
import type { State } from '../model/index.js';
import type { ObjectKind, ObjectRef } from '../properties/index.js';
import type { Holder, ReachedVia } from '../properties/index.js';
import { holdersOf, listReferences, reachable } from '../properties/index.js';
import type { AppliedStep } from './history.js';

const KIND_NAMES: Readonly<Record<string, ObjectKind>> = {
  mount: 'mount',
  mnt: 'mount',
  ns: 'mnt_namespace',
  mntns: 'mnt_namespace',
  mnt_namespace: 'mnt_namespace',
  file: 'file',
  sb: 'super_block',
  super_block: 'super_block',
  superblock: 'super_block',
  dentry: 'dentry',
  nsfs: 'dentry',
  fs: 'fs_struct',
  fs_struct: 'fs_struct',
  files: 'files_struct',
  files_struct: 'files_struct',
  task: 'task',
  mountpoint: 'mountpoint',
};

export const OBJECT_SYNTAX = 'KIND:ID with KIND one of mount, ns, file, sb, nsfs, fs, files, task, mountpoint (e.g. mount:7)';

/** `mount:7` -> {kind: 'mount', id: 7}; null when the text is not KIND:ID. */
export function parseObjectRef(text: string): ObjectRef | null {
  const match = /^([a-z_]+):([0-9]+)$/.exec(text.trim());
  const kind = match?.[1] === undefined ? undefined : KIND_NAMES[match[1]];
  return kind === undefined || match?.[2] === undefined ? null : { kind, id: Number(match[2]) };
}

const WHAT: Readonly<Record<ObjectKind, string>> = {
  task: 'task',
  fs_struct: 'fs_struct',
  files_struct: 'files_struct',
  file: 'file',
  mnt_namespace: 'mount namespace',
  mount: 'mount',
  super_block: 'superblock',
  dentry: 'nsfs dentry',
  mountpoint: 'mountpoint on dentry',
};

export const objectName = (object: ObjectRef): string => `${WHAT[object.kind]} ${object.id}`;

/** Where each kind lives in the state, and the field its count is kept in. */
const COUNTED: Readonly<Record<ObjectKind, { readonly table: keyof State; readonly field: string | null }>> = {
  task: { table: 'tasks', field: null },
  fs_struct: { table: 'fsStructs', field: 'users' },
  files_struct: { table: 'filesStructs', field: 'count' },
  file: { table: 'files', field: 'f_count' },
  mnt_namespace: { table: 'mntNamespaces', field: 'count' },
  mount: { table: 'mounts', field: 'mnt_count' },
  super_block: { table: 'superBlocks', field: 's_active' },
  dentry: { table: 'dentries', field: 'd_count' },
  mountpoint: { table: 'mountpoints', field: 'm_count' },
};

export function exists(state: State, object: ObjectRef): boolean {
  const table = state[COUNTED[object.kind].table] as Readonly<Record<number, unknown>>;
  return table[object.id] !== undefined;
}

/** The value the patches leave in state[table][id][field], if they touch it. */
function fieldAfter(patches: readonly Patch[], table: string, id: number, field: string): { touched: boolean; value: number } {
  let touched = false;
  let value = 0;
  const read = (object: unknown): number => {
    const number = typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[field] : undefined;
    return typeof number === 'number' ? number : 0;
  };
  for (const patch of patches) {
    const [first, second, third] = patch.path;
    if (first !== table) continue;
    if (second === undefined) {
      touched = true;
      value = read((patch.value as Record<string, unknown> | undefined)?.[id]);
    } else if (String(second) === String(id)) {
      if (third === undefined) {
        touched = true;
        value = patch.op === 'remove' ? 0 : read(patch.value);
      } else if (third === field && patch.path.length === 3) {
        touched = true;
        value = typeof patch.value === 'number' ? patch.value : 0;
      }
    }
  }
  return { touched, value };
}

/** The steps (1-based) among those applied where the object's count went up. */
export function stepsTakingReferences(applied: readonly AppliedStep[], object: ObjectRef): number[] {
  const { table, field } = COUNTED[object.kind];
  if (field === null) return [];
  const steps: number[] = [];
  for (const step of applied) {
    const after = fieldAfter(step.patches, table, object.id, field);
    if (!after.touched) continue;
    const before = fieldAfter(step.inversePatches, table, object.id, field);
    if (after.value > (before.touched ? before.value : 0)) steps.push(step.number);
  }
  return steps;
}

/** A holder in words; a file held through fds is named by them: "fd 4 of task 3 (file 6)". */
function describeHolder(references: ReturnType<typeof listReferences>, holder: Holder): string {
  if (holder.holder?.kind !== 'file') return holder.description;
  const fds = holdersOf(references, 'file', holder.holder.id).map((fileHolder) => fileHolder.description.replace(/ \(files_struct \d+\)$/, ''));
  return fds.length === 0 ? holder.description : `${fds.join(' and ')} (file ${holder.holder.id})`;
}

/** "mount 7 is held by: the tree of namespace 2, fd 4 of task 3 (file 6) — taken at steps 5, 9". */
export function holdersReport(state: State, object: ObjectRef, applied: readonly AppliedStep[] = []): string {
  const name = objectName(object);
  if (!exists(state, object)) return `${name} does not exist in this state`;
  if (object.kind === 'task') return `${name} is a live task: tasks are the roots everything else hangs from`;
  const references = listReferences(state);
  const holders = holdersOf(references, object.kind, object.id).map((holder) => describeHolder(references, holder));
  const steps = stepsTakingReferences(applied, object);
  const taken = steps.length === 0 ? '' : ` — taken at step${steps.length === 1 ? '' : 's'} ${steps.join(', ')}`;
  return holders.length === 0 ? `${name} is held by nothing${taken}` : `${name} is held by: ${holders.join(', ')}${taken}`;
}

function reachedVia(state: State, object: ObjectRef, found: ReturnType<typeof reachable>): ReachedVia | undefined {
  switch (object.kind) {
    case 'mount':
      return found.mounts.get(object.id);
    case 'mnt_namespace':
      return found.namespaces.get(object.id);
    case 'super_block':
      return found.superBlocks.get(object.id);
    case 'file':
      return found.files.get(object.id);
    case 'fs_struct':
      return found.fsStructs.get(object.id);
    case 'files_struct':
      return found.fileTables.get(object.id);
    case 'dentry':
      return found.nsfsDentries.get(object.id);
    case 'task':
      return exists(state, object) ? { from: null, via: 'a live task' } : undefined;
    case 'mountpoint': {
      // a struct mountpoint lives as long as a mount sits on it
      const mount = Object.values(state.mounts).find((candidate) => candidate.mnt_parent !== null && candidate.mnt_mountpoint === object.id);
      return mount === undefined ? undefined : { from: { kind: 'mount', id: mount.id }, via: 'a mount on it' };
    }
  }
}

/** Why an object is alive: the chain from a live task (or the kernel's own mounts) down to it. */
export function whyAlive(state: State, object: ObjectRef): string {
  const name = objectName(object);
  if (!exists(state, object)) return `${name} does not exist in this state`;
  const found = reachable(state);
  const chain: string[] = [];
  let current: ObjectRef = object;
  for (let guard = 0; guard < 10_000; guard++) {
    const via = reachedVia(state, current, found);
    if (via === undefined) {
      return chain.length === 0
        ? `${name} is allocated but nothing live reaches it: a leak (no-leak reports it)`
        : `${name} hangs from ${objectName(current)}, which nothing live reaches: a leak (no-leak reports it)`;
    }
    if (via.from === null) {
      const root = current.kind === 'task' ? objectName(current) : `${via.via} (${objectName(current)})`;
      return `${name} is alive because: ${[root, ...chain].join(' -> ')}`;
    }
    chain.unshift(`(${via.via}) ${objectName(current)}`);
    current = via.from;
  }
  return `${name}: the chain of references does not end`;
}
