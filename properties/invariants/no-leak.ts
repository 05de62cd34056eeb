// Everything allocated is reachable from a live task, or from something that is (the kernel's own
// internal nsfs mount is a root too). An object alive but unreachable can never be freed: a leak.
// Reachability follows real references: task -> nsproxy namespace, fs_struct, files_struct;
// fs_struct -> root and cwd; fd table -> files; file -> its mount and dentry, or (socket) the files
// in flight on it; namespace -> its mounts; mount -> superblock, root dentry, children still
// connected; nsfs dentry -> its namespace. tmpfs dentries belong to their superblock and are not
// tracked on their own.
import type { State } from '../../model/index.js';
import type { Invariant, ObjectKind, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'no-leak';

type Table<T> = Readonly<Record<number, T>>;

export function checkNoLeak(state: State): Violation[] {
  const namespaces = new Set<number>();
  const mounts = new Set<number>();
  const superBlocks = new Set<number>();
  const files = new Set<number>();
  const fsStructs = new Set<number>();
  const fileTables = new Set<number>();
  const nsfsDentries = new Set<number>();
  const pendingMounts: number[] = [];
  const pendingFiles: number[] = [];
  const pendingNamespaces: number[] = [];

  const reachMount = (id: number): void => {
    if (!mounts.has(id)) {
      mounts.add(id);
      pendingMounts.push(id);
    }
  };
  const reachNamespace = (id: number): void => {
    if (!namespaces.has(id)) {
      namespaces.add(id);
      pendingNamespaces.push(id);
    }
  };
  const reachDentry = (id: number): void => {
    const dentry = (state.dentries as Table<State['dentries'][keyof State['dentries']]>)[id];
    if (dentry !== undefined && dentry.kind === 'nsfs' && !nsfsDentries.has(id)) {
      nsfsDentries.add(id);
      reachNamespace(dentry.ns);
    }
  };
  const reachFile = (id: number): void => {
    if (!files.has(id)) {
      files.add(id);
      pendingFiles.push(id);
    }
  };
  const mountsByNs = new Map<number, number[]>();
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_ns === null) continue;
    const list = mountsByNs.get(mount.mnt_ns);
    if (list === undefined) mountsByNs.set(mount.mnt_ns, [mount.id]);
    else list.push(mount.id);
  }

  for (const task of Object.values(state.tasks)) {
    reachNamespace(task.mntNs);
    if (!fsStructs.has(task.fs)) {
      fsStructs.add(task.fs);
      const fs = state.fsStructs[task.fs];
      if (fs !== undefined) {
        reachMount(fs.root.mnt);
        reachDentry(fs.root.dentry);
        reachMount(fs.pwd.mnt);
        reachDentry(fs.pwd.dentry);
      }
    }
    if (!fileTables.has(task.files)) {
      fileTables.add(task.files);
      const table = state.filesStructs[task.files];
      if (table !== undefined) for (const file of Object.values(table.fdt)) reachFile(file);
    }
  }
  reachMount(state.nsfsMnt);

  while (pendingMounts.length > 0 || pendingFiles.length > 0 || pendingNamespaces.length > 0) {
    const fileId = pendingFiles.pop();
    if (fileId !== undefined) {
      const file = (state.files as Table<State['files'][keyof State['files']]>)[fileId];
      if (file === undefined) continue;
      if (file.kind === 'socket') {
        for (const message of file.receiveQueue) for (const inflight of message) reachFile(inflight);
      } else if (file.kind === 'fscontext') {
        if (file.sb !== null) superBlocks.add(file.sb);
      } else {
        reachMount(file.f_path.mnt);
        reachDentry(file.f_path.dentry);
      }
      continue;
    }
    const nsId = pendingNamespaces.pop();
    if (nsId !== undefined) {
      const ns = (state.mntNamespaces as Table<State['mntNamespaces'][keyof State['mntNamespaces']]>)[nsId];
      if (ns === undefined) continue;
      reachMount(ns.root);
      for (const mount of mountsByNs.get(nsId) ?? []) reachMount(mount);
      continue;
    }
    const mountId = pendingMounts.pop() as number;
    const mount = (state.mounts as Table<State['mounts'][keyof State['mounts']]>)[mountId];
    if (mount === undefined) continue;
    superBlocks.add(mount.mnt_sb);
    reachDentry(mount.mnt_root);
    // An anonymous namespace (open_tree, fsmount) lives as long as the tree it holds.
    if (mount.mnt_ns !== null && state.mntNamespaces[mount.mnt_ns]?.anon === true) reachNamespace(mount.mnt_ns);
    for (const child of mount.mnt_mounts) reachMount(child);
  }

  const violations: Violation[] = [];
  const report = (kind: ObjectKind, what: string, id: number, reached: Set<number>): void => {
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
};
