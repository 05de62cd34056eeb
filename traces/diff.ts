// What one step changed, in sentences, read from its patches: the patches name the objects the
// step touched; each is compared between the state before and the state after. Mounts added,
// freed, moved (new parent or mountpoint), entering or leaving a namespace, with their propagation
// and flags; namespaces, tasks, files, superblocks and fds added or removed; reference counts
// changed (`mount 7: mnt_count 2 -> 3`).
import type { Patch } from 'immer';
import type { Mount, State } from '../model/index.js';
import { mountPath, optionsText, propagationText } from './findmnt.js';

type TableName = 'tasks' | 'fsStructs' | 'filesStructs' | 'files' | 'mntNamespaces' | 'mounts' | 'superBlocks' | 'dentries' | 'mountpoints';

const TABLES: readonly TableName[] = ['tasks', 'mntNamespaces', 'mounts', 'superBlocks', 'files', 'filesStructs', 'fsStructs', 'dentries', 'mountpoints'];

/** The ids of each table the patches touch, in id order. */
export function touchedObjects(before: State, after: State, patches: readonly Patch[]): Map<TableName, number[]> {
  const touched = new Map<TableName, Set<number>>();
  for (const patch of patches) {
    const [table, id] = patch.path;
    if (typeof table !== 'string' || !(TABLES as readonly string[]).includes(table)) continue;
    const name = table as TableName;
    const ids = touched.get(name) ?? new Set<number>();
    touched.set(name, ids);
    if (id === undefined) {
      // the whole table was replaced: every id on either side
      for (const key of [...Object.keys(before[name]), ...Object.keys(after[name])]) ids.add(Number(key));
    } else ids.add(Number(id));
  }
  const sorted = new Map<TableName, number[]>();
  for (const name of TABLES) {
    const ids = touched.get(name);
    if (ids !== undefined) sorted.set(name, [...ids].sort((a, b) => a - b));
  }
  return sorted;
}

const lookup = <T>(table: Readonly<Record<number, T>>, id: number): T | undefined => table[id];

const count = (what: string, id: number, field: string, from: number, to: number): string[] =>
  from === to ? [] : [`${what} ${id}: ${field} ${from} -> ${to}`];

function where(state: State, mount: Mount): string {
  const fstype = state.superBlocks[mount.mnt_sb]?.s_type ?? '?';
  if (mount.mnt_ns === null) {
    return mount.mnt_parent === null ? `detached, in no namespace (${fstype})` : `on ${mountPath(state, mount.id)} below unmounted mount ${mount.mnt_parent} (${fstype})`;
  }
  const ns = state.mntNamespaces[mount.mnt_ns];
  const space = ns?.anon === true ? `anonymous namespace ${mount.mnt_ns}` : `namespace ${mount.mnt_ns}`;
  return `on ${mountPath(state, mount.id)} in ${space} (${fstype})`;
}

function mountChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.mounts, id);
  const now = lookup(after.mounts, id);
  if (old === undefined && now === undefined) return [];
  if (old === undefined && now !== undefined) return [`mount ${id} added ${where(after, now)}`];
  if (now === undefined && old !== undefined) return [`mount ${id} freed (was ${where(before, old)})`];
  const a = old as Mount;
  const b = now as Mount;
  const changes: string[] = [];
  if (a.mnt_ns !== b.mnt_ns) {
    if (b.mnt_ns === null) changes.push(`mount ${id} left namespace ${a.mnt_ns} (unmounted; ${b.mnt_parent === null ? 'disconnected' : `still below mount ${b.mnt_parent}`})`);
    else if (a.mnt_ns === null) changes.push(`mount ${id} attached: now ${where(after, b)}`);
    else changes.push(`mount ${id} moved from namespace ${a.mnt_ns}: now ${where(after, b)}`);
  }
  if (a.mnt_parent !== b.mnt_parent || a.mnt_mountpoint !== b.mnt_mountpoint) {
    const from = a.mnt_parent === null ? 'no parent' : `${mountPath(before, a.id)} (under mount ${a.mnt_parent})`;
    const to = b.mnt_parent === null ? 'no parent' : `${mountPath(after, b.id)} (under mount ${b.mnt_parent})`;
    changes.push(`mount ${id} moved from ${from} to ${to}`);
  }
  const propagation = [propagationText(before, a), propagationText(after, b)] as const;
  if (propagation[0] !== propagation[1]) changes.push(`mount ${id} propagation ${propagation[0]} -> ${propagation[1]}`);
  const options = [optionsText(a), optionsText(b)] as const;
  if (options[0] !== options[1]) changes.push(`mount ${id} flags ${options[0]} -> ${options[1]}`);
  changes.push(...count('mount', id, 'mnt_count', a.mnt_count, b.mnt_count));
  return changes;
}

function namespaceChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.mntNamespaces, id);
  const now = lookup(after.mntNamespaces, id);
  const kind = (anon: boolean): string => (anon ? 'anonymous namespace' : 'mount namespace');
  if (old === undefined && now !== undefined) return [`${kind(now.anon)} ${id} added (seq ${now.seq}, root mount ${now.root}, ${now.nr_mounts} mounts)`];
  if (now === undefined && old !== undefined) return [`${kind(old.anon)} ${id} freed`];
  if (old === undefined || now === undefined) return [];
  const changes = count(kind(now.anon), id, 'count', old.count, now.count);
  if (old.root !== now.root) changes.push(`${kind(now.anon)} ${id}: root mount ${old.root} -> ${now.root}`);
  changes.push(...count(kind(now.anon), id, 'nr_mounts', old.nr_mounts, now.nr_mounts));
  return changes;
}

function taskChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.tasks, id);
  const now = lookup(after.tasks, id);
  if (old === undefined && now !== undefined) return [`task ${id} added in namespace ${now.mntNs}`];
  if (now === undefined && old !== undefined) return [`task ${id} exited`];
  if (old === undefined || now === undefined) return [];
  const changes: string[] = [];
  if (old.mntNs !== now.mntNs) changes.push(`task ${id} moved from namespace ${old.mntNs} to namespace ${now.mntNs}`);
  if (old.fs !== now.fs) changes.push(`task ${id}: fs_struct ${old.fs} -> ${now.fs}`);
  if (old.files !== now.files) changes.push(`task ${id}: files_struct ${old.files} -> ${now.files}`);
  if (old.caps.sysAdmin !== now.caps.sysAdmin) changes.push(`task ${id}: CAP_SYS_ADMIN ${old.caps.sysAdmin ? 'dropped' : 'gained'}`);
  return changes;
}

function fileChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.files, id);
  const now = lookup(after.files, id);
  if (old === undefined && now !== undefined) {
    const what = now.kind === 'path' ? `on mount ${now.f_path.mnt}${now.fmodePath ? ', O_PATH' : ''}${now.needUnmount ? ', holding a detached tree' : ''}` : now.kind;
    return [`file ${id} added (${what})`];
  }
  if (now === undefined && old !== undefined) return [`file ${id} freed`];
  if (old === undefined || now === undefined) return [];
  return count('file', id, 'f_count', old.f_count, now.f_count);
}

function superBlockChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.superBlocks, id);
  const now = lookup(after.superBlocks, id);
  if (old === undefined && now !== undefined) return [`superblock ${id} added (${now.s_type}, 0:${now.s_dev})`];
  if (now === undefined && old !== undefined) return [`superblock ${id} freed`];
  if (old === undefined || now === undefined) return [];
  const changes = count('superblock', id, 's_active', old.s_active, now.s_active);
  if (old.sb_rdonly !== now.sb_rdonly) changes.push(`superblock ${id} ${now.sb_rdonly ? 'now read-only' : 'now read-write'}`);
  return changes;
}

function fdChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.filesStructs, id);
  const now = lookup(after.filesStructs, id);
  if (old === undefined && now !== undefined) return [`files_struct ${id} added`];
  if (now === undefined && old !== undefined) return [`files_struct ${id} freed`];
  if (old === undefined || now === undefined) return [];
  const changes = count('files_struct', id, 'count', old.count, now.count);
  const fds = new Set([...Object.keys(old.fdt), ...Object.keys(now.fdt)].map(Number));
  for (const fd of [...fds].sort((a, b) => a - b)) {
    const was = lookup(old.fdt, fd);
    const is = lookup(now.fdt, fd);
    if (was === is) continue;
    if (was === undefined) changes.push(`fd ${fd} of files_struct ${id} opened: file ${is}`);
    else if (is === undefined) changes.push(`fd ${fd} of files_struct ${id} closed (was file ${was})`);
    else changes.push(`fd ${fd} of files_struct ${id}: file ${was} -> ${is}`);
  }
  return changes;
}

function fsChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.fsStructs, id);
  const now = lookup(after.fsStructs, id);
  if (old === undefined && now !== undefined) return [`fs_struct ${id} added`];
  if (now === undefined && old !== undefined) return [`fs_struct ${id} freed`];
  if (old === undefined || now === undefined) return [];
  const changes = count('fs_struct', id, 'users', old.users, now.users);
  if (old.root.mnt !== now.root.mnt || old.root.dentry !== now.root.dentry) changes.push(`fs_struct ${id}: root now on mount ${now.root.mnt}`);
  if (old.pwd.mnt !== now.pwd.mnt || old.pwd.dentry !== now.pwd.dentry) changes.push(`fs_struct ${id}: cwd now on mount ${now.pwd.mnt}`);
  return changes;
}

function dentryChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.dentries, id);
  const now = lookup(after.dentries, id);
  // only nsfs dentries carry a count and decide a lifetime; the others belong to their superblock
  if (old?.kind !== 'nsfs' && now?.kind !== 'nsfs') return [];
  if (old === undefined && now?.kind === 'nsfs') return [`nsfs dentry ${id} added (namespace ${now.ns})`];
  if (now === undefined) return [`nsfs dentry ${id} freed`];
  return old?.kind === 'nsfs' && now.kind === 'nsfs' ? count('nsfs dentry', id, 'd_count', old.d_count, now.d_count) : [];
}

function mountpointChanges(before: State, after: State, id: number): string[] {
  const old = lookup(before.mountpoints, id)?.m_count ?? 0;
  const now = lookup(after.mountpoints, id)?.m_count ?? 0;
  return count('mountpoint on dentry', id, 'm_count', old, now);
}

const DESCRIBE: Readonly<Record<TableName, (before: State, after: State, id: number) => string[]>> = {
  tasks: taskChanges,
  mntNamespaces: namespaceChanges,
  mounts: mountChanges,
  superBlocks: superBlockChanges,
  files: fileChanges,
  filesStructs: fdChanges,
  fsStructs: fsChanges,
  dentries: dentryChanges,
  mountpoints: mountpointChanges,
};

/** One sentence per change the patches made from `before` to `after`. */
export function describeChanges(before: State, after: State, patches: readonly Patch[]): string[] {
  const sentences: string[] = [];
  for (const [table, ids] of touchedObjects(before, after, patches)) {
    for (const id of ids) sentences.push(...DESCRIBE[table](before, after, id));
  }
  return sentences;
}
