// Every stored reference count equals the references recomputed from the state graph, and an
// object whose count is zero has been freed. The conventions are those of the kernel:
// - mount: 1 tree reference while in a namespace, kernel-internal, or still connected to a parent
//   (a lazily unmounted child stays connected to its unmounted parent), plus one per struct file
//   on it and one per fs_struct root and pwd on it;
// - mount namespace: one per task (nsproxy) in it, plus one for its live nsfs inode; an anonymous
//   one (open_tree, fsmount) holds the single reference it was allocated with;
// - an fs_context file holds one s_active on the superblock it created;
// - superblock s_active: one per mount of it;
// - struct file: one per descriptor slot (each fd table counted once), one per message in flight;
// - fs_struct users and files_struct count: one per task using it;
// - nsfs dentry: one per struct file and per mount rooted at it;
// - struct mountpoint: one per mount sitting on its dentry.
import type { State } from '../../model/index.js';
import type { Invariant, ObjectKind, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'refcounts-sound';

function bump(counts: Map<number, number>, id: number): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

function compare(
  violations: Violation[],
  kind: ObjectKind,
  what: string,
  field: string,
  stored: readonly (readonly [number, number])[],
  expected: Map<number, number>,
): void {
  for (const [id, count] of stored) {
    const stored = count;
    const recomputed = expected.get(id) ?? 0;
    if (stored !== recomputed) {
      violations.push({
        invariant: NAME,
        objects: [ref(kind, id)],
        message: `${what} ${id} has ${field} ${stored}, but ${recomputed} reference${recomputed === 1 ? '' : 's'} to it exist`,
      });
    } else if (stored === 0) {
      violations.push({
        invariant: NAME,
        objects: [ref(kind, id)],
        message: `${what} ${id} has no references left but was not freed`,
      });
    }
  }
}

export function checkRefcounts(state: State): Violation[] {
  const mounts = new Map<number, number>();
  const namespaces = new Map<number, number>();
  const superBlocks = new Map<number, number>();
  const files = new Map<number, number>();
  const fsUsers = new Map<number, number>();
  const filesUsers = new Map<number, number>();
  const dentries = new Map<number, number>();
  const mountpoints = new Map<number, number>();

  for (const task of Object.values(state.tasks)) {
    bump(namespaces, task.mntNs);
    bump(fsUsers, task.fs);
    bump(filesUsers, task.files);
  }
  for (const fs of Object.values(state.fsStructs)) {
    for (const path of [fs.root, fs.pwd]) {
      bump(mounts, path.mnt);
      bump(dentries, path.dentry);
    }
  }
  for (const table of Object.values(state.filesStructs)) {
    for (const file of Object.values(table.fdt)) bump(files, file);
  }
  for (const file of Object.values(state.files)) {
    if (file.kind === 'socket') {
      for (const message of file.receiveQueue) for (const inflight of message) bump(files, inflight);
    } else if (file.kind === 'fscontext') {
      if (file.sb !== null) bump(superBlocks, file.sb);
    } else {
      bump(mounts, file.f_path.mnt);
      bump(dentries, file.f_path.dentry);
    }
  }
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_ns !== null || mount.internal || mount.mnt_parent !== null) bump(mounts, mount.id);
    bump(superBlocks, mount.mnt_sb);
    bump(dentries, mount.mnt_root);
    if (mount.mnt_parent !== null && mount.mnt_mountpoint !== null) bump(mountpoints, mount.mnt_mountpoint);
  }
  for (const dentry of Object.values(state.dentries)) {
    if (dentry.kind === 'nsfs') bump(namespaces, dentry.ns);
  }
  for (const ns of Object.values(state.mntNamespaces)) {
    if (ns.anon) bump(namespaces, ns.id); // alloc_mnt_ns()'s reference, dropped when the tree dissolves
  }

  const violations: Violation[] = [];
  const pairs = <T>(table: Readonly<Record<number, T>>, read: (object: T) => readonly [number, number]) =>
    Object.values(table).map(read);
  compare(violations, 'mount', 'mount', 'mnt_count', pairs(state.mounts, (m) => [m.id, m.mnt_count]), mounts);
  compare(violations, 'mnt_namespace', 'mount namespace', 'count', pairs(state.mntNamespaces, (ns) => [ns.id, ns.count]), namespaces);
  compare(violations, 'super_block', 'superblock', 's_active', pairs(state.superBlocks, (sb) => [sb.id, sb.s_active]), superBlocks);
  compare(violations, 'file', 'file', 'f_count', pairs(state.files, (file) => [file.id, file.f_count]), files);
  compare(violations, 'fs_struct', 'fs_struct', 'users', pairs(state.fsStructs, (fs) => [fs.id, fs.users]), fsUsers);
  compare(violations, 'files_struct', 'files_struct', 'count', pairs(state.filesStructs, (t) => [t.id, t.count]), filesUsers);
  compare(violations, 'mountpoint', 'mountpoint on dentry', 'm_count', pairs(state.mountpoints, (mp) => [mp.m_dentry, mp.m_count]), mountpoints);
  const nsfsDentries = Object.values(state.dentries).flatMap((dentry) =>
    dentry.kind === 'nsfs' ? [[dentry.id, dentry.d_count] as const] : [],
  );
  compare(violations, 'dentry', 'nsfs dentry', 'd_count', nsfsDentries, dentries);
  return violations;
}

export const refcountsSound: Invariant = {
  name: NAME,
  guards: 'every get has its put: a count above the real holders leaks, one below frees too early',
  check: checkRefcounts,
};
