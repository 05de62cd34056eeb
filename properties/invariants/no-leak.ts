// Everything allocated is reachable from a live task, or from something that is (the kernel's own
// internal nsfs mount is a root too). An object alive but unreachable can never be freed: a leak.
// Reachability follows real references: task -> nsproxy namespace, fs_struct, files_struct;
// fs_struct -> root and cwd; fd table -> files; file -> its mount and dentry, or (socket) the files
// in flight on it; namespace -> its mounts; mount -> superblock, root dentry, children still
// connected; nsfs dentry -> its namespace. tmpfs dentries belong to their superblock and are not
// tracked on their own.
import type { State } from '../../model/index.js';
import type { Invariant, ObjectKind, ObjectRef, Violation } from '../invariant.js';
import { ALL_STATE_PARTS, ref } from '../invariant.js';

const NAME = 'no-leak';

/** The one ReachedVia of a reachable() that does not explain. */
const UNEXPLAINED: ReachedVia = { from: { kind: 'task', id: 0 }, via: '' };

type Table<T> = Readonly<Record<number, T>>;

/** How an object was first reached: from which object (null for a root), through which reference. */
export interface ReachedVia {
  readonly from: ObjectRef | null;
  readonly via: string;
}

/** The objects reachable from the roots (live tasks, the kernel's nsfs mount), each with how it was reached. */
export interface Reachable {
  readonly namespaces: ReadonlyMap<number, ReachedVia>;
  readonly mounts: ReadonlyMap<number, ReachedVia>;
  readonly superBlocks: ReadonlyMap<number, ReachedVia>;
  readonly files: ReadonlyMap<number, ReachedVia>;
  readonly fsStructs: ReadonlyMap<number, ReachedVia>;
  readonly fileTables: ReadonlyMap<number, ReachedVia>;
  readonly nsfsDentries: ReadonlyMap<number, ReachedVia>;
}

/**
 * Only the answer to "is it reachable" is needed to check; `explain` also keeps how each object
 * was first reached, for `mntns replay` to show a leak's story (allocating nothing per object otherwise).
 */
export function reachable(state: State, explain = true): Reachable {
  const refOf = explain ? ref : (): ObjectRef => UNEXPLAINED.from as ObjectRef;
  const reachedVia = explain ? (from: ObjectRef | null, via: string): ReachedVia => ({ from, via }) : (): ReachedVia => UNEXPLAINED;
  const namespaces = new Map<number, ReachedVia>();
  const mounts = new Map<number, ReachedVia>();
  const superBlocks = new Map<number, ReachedVia>();
  const files = new Map<number, ReachedVia>();
  const fsStructs = new Map<number, ReachedVia>();
  const fileTables = new Map<number, ReachedVia>();
  const nsfsDentries = new Map<number, ReachedVia>();
  const pendingMounts: number[] = [];
  const pendingFiles: number[] = [];
  const pendingNamespaces: number[] = [];

  const reachMount = (id: number, from: ObjectRef | null, via: string): void => {
    if (!mounts.has(id)) {
      mounts.set(id, reachedVia(from, via));
      pendingMounts.push(id);
    }
  };
  const reachNamespace = (id: number, from: ObjectRef, via: string): void => {
    if (!namespaces.has(id)) {
      namespaces.set(id, reachedVia(from, via));
      pendingNamespaces.push(id);
    }
  };
  const reachDentry = (id: number, from: ObjectRef, via: string): void => {
    const dentry = (state.dentries as Table<State['dentries'][keyof State['dentries']]>)[id];
    if (dentry !== undefined && dentry.kind === 'nsfs' && !nsfsDentries.has(id)) {
      nsfsDentries.set(id, reachedVia(from, via));
      reachNamespace(dentry.ns, refOf('dentry', id), 'its nsfs inode');
    }
  };
  const reachFile = (id: number, from: ObjectRef, via: string): void => {
    if (!files.has(id)) {
      files.set(id, reachedVia(from, via));
      pendingFiles.push(id);
    }
  };
  const reachSuperBlock = (id: number, from: ObjectRef, via: string): void => {
    if (!superBlocks.has(id)) superBlocks.set(id, reachedVia(from, via));
  };
  const mountsByNs = new Map<number, number[]>();
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_ns === null) continue;
    const list = mountsByNs.get(mount.mnt_ns);
    if (list === undefined) mountsByNs.set(mount.mnt_ns, [mount.id]);
    else list.push(mount.id);
  }

  for (const task of Object.values(state.tasks)) {
    const taskRef = refOf('task', task.pid);
    reachNamespace(task.mntNs, taskRef, 'its nsproxy');
    if (!fsStructs.has(task.fs)) {
      fsStructs.set(task.fs, reachedVia(taskRef, 'its fs'));
      const fs = state.fsStructs[task.fs];
      if (fs !== undefined) {
        const fsRef = refOf('fs_struct', fs.id);
        reachMount(fs.root.mnt, fsRef, 'its root');
        reachDentry(fs.root.dentry, fsRef, 'its root');
        reachMount(fs.pwd.mnt, fsRef, 'its cwd');
        reachDentry(fs.pwd.dentry, fsRef, 'its cwd');
      }
    }
    if (!fileTables.has(task.files)) {
      fileTables.set(task.files, reachedVia(taskRef, 'its files'));
      const table = state.filesStructs[task.files];
      if (table !== undefined) {
        const tableRef = refOf('files_struct', table.id);
        for (const file of Object.values(table.fdt)) reachFile(file, tableRef, 'an fd');
      }
    }
  }
  reachMount(state.nsfsMnt, null, "the kernel's internal nsfs mount");

  while (pendingMounts.length > 0 || pendingFiles.length > 0 || pendingNamespaces.length > 0) {
    const fileId = pendingFiles.pop();
    if (fileId !== undefined) {
      const file = (state.files as Table<State['files'][keyof State['files']]>)[fileId];
      if (file === undefined) continue;
      const fileRef = refOf('file', fileId);
      if (file.kind === 'socket') {
        for (const message of file.receiveQueue) for (const inflight of message) reachFile(inflight, fileRef, 'a message in flight');
      } else if (file.kind === 'fscontext') {
        if (file.sb !== null) reachSuperBlock(file.sb, fileRef, 'its fs_context');
      } else {
        reachMount(file.f_path.mnt, fileRef, 'its path');
        reachDentry(file.f_path.dentry, fileRef, 'its path');
      }
      continue;
    }
    const nsId = pendingNamespaces.pop();
    if (nsId !== undefined) {
      const ns = (state.mntNamespaces as Table<State['mntNamespaces'][keyof State['mntNamespaces']]>)[nsId];
      if (ns === undefined) continue;
      const nsRef = refOf('mnt_namespace', nsId);
      reachMount(ns.root, nsRef, 'its root');
      for (const mount of mountsByNs.get(nsId) ?? []) reachMount(mount, nsRef, 'its tree');
      continue;
    }
    const mountId = pendingMounts.pop() as number;
    const mount = (state.mounts as Table<State['mounts'][keyof State['mounts']]>)[mountId];
    if (mount === undefined) continue;
    const mountRef = refOf('mount', mountId);
    reachSuperBlock(mount.mnt_sb, mountRef, 'its superblock');
    reachDentry(mount.mnt_root, mountRef, 'its root dentry');
    // An anonymous namespace (open_tree, fsmount) lives as long as the tree it holds.
    if (mount.mnt_ns !== null && state.mntNamespaces[mount.mnt_ns]?.anon === true) {
      reachNamespace(mount.mnt_ns, mountRef, 'its anonymous namespace');
    }
    for (const child of mount.mnt_mounts) reachMount(child, mountRef, 'a child mount');
  }
  return { namespaces, mounts, superBlocks, files, fsStructs, fileTables, nsfsDentries };
}

export function checkNoLeak(state: State): Violation[] {
  const { namespaces, mounts, superBlocks, files, fsStructs, fileTables, nsfsDentries } = reachable(state, false);
  const violations: Violation[] = [];
  const report = (kind: ObjectKind, what: string, id: number, reached: ReadonlyMap<number, ReachedVia>): void => {
    if (reached.has(id)) return;
    violations.push({
      invariant: NAME,
      objects: [ref(kind, id)],
      message: `${what} ${id} is still allocated but nothing live can reach it: it can never be freed`,
    });
  };
  for (const ns of Object.values(state.mntNamespaces)) report('mnt_namespace', 'mount namespace', ns.id, namespaces);
  for (const mount of Object.values(state.mounts)) report('mount', 'mount', mount.id, mounts);
  for (const sb of Object.values(state.superBlocks)) report('super_block', 'superblock', sb.id, superBlocks);
  for (const file of Object.values(state.files)) report('file', 'file', file.id, files);
  for (const fs of Object.values(state.fsStructs)) report('fs_struct', 'fs_struct', fs.id, fsStructs);
  for (const table of Object.values(state.filesStructs)) report('files_struct', 'files_struct', table.id, fileTables);
  for (const dentry of Object.values(state.dentries)) {
    if (dentry.kind === 'nsfs') report('dentry', 'nsfs dentry', dentry.id, nsfsDentries);
  }
  return violations;
}

export const noLeak: Invariant = {
  name: NAME,
  guards: 'every object can still be released: nothing survives its last holder',
  check: checkNoLeak,
  reads: ALL_STATE_PARTS,
};
