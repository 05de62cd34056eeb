// No live object refers to a freed one. The model deletes an object from its table when the
// kernel would free it, so a dangling id is exactly a use-after-free.
import type { State } from '../../model/index.js';
import type { Invariant, ObjectKind, Violation } from '../invariant.js';
import { ALL_STATE_PARTS, ref } from '../invariant.js';

const NAME = 'no-use-after-free';

export function checkNoUseAfterFree(state: State): Violation[] {
  const violations: Violation[] = [];
  // Called for every reference, so the holder is described only when the reference dangles.
  const dangling = (
    holderKind: ObjectKind,
    holderId: number,
    what: string,
    kind: ObjectKind,
    id: number,
    present: boolean,
  ): void => {
    if (present) return;
    violations.push({
      invariant: NAME,
      objects: [ref(holderKind, holderId), ref(kind, id)],
      message: `${holderKind.replace('_', ' ')} ${holderId} still uses ${what} ${id}, which was freed`,
    });
  };
  const has = <T>(table: Readonly<Record<number, T>>, id: number): boolean => table[id] !== undefined;

  for (const task of Object.values(state.tasks)) {
    dangling('task', task.pid, 'mount namespace', 'mnt_namespace', task.mntNs, has(state.mntNamespaces, task.mntNs));
    dangling('task', task.pid, 'fs_struct', 'fs_struct', task.fs, has(state.fsStructs, task.fs));
    dangling('task', task.pid, 'files_struct', 'files_struct', task.files, has(state.filesStructs, task.files));
  }
  for (const fs of Object.values(state.fsStructs)) {
    dangling('fs_struct', fs.id, 'root mount', 'mount', fs.root.mnt, has(state.mounts, fs.root.mnt));
    dangling('fs_struct', fs.id, 'root dentry', 'dentry', fs.root.dentry, has(state.dentries, fs.root.dentry));
    dangling('fs_struct', fs.id, 'cwd mount', 'mount', fs.pwd.mnt, has(state.mounts, fs.pwd.mnt));
    dangling('fs_struct', fs.id, 'cwd dentry', 'dentry', fs.pwd.dentry, has(state.dentries, fs.pwd.dentry));
  }
  for (const table of Object.values(state.filesStructs)) {
    for (const file of Object.values(table.fdt)) {
      dangling('files_struct', table.id, 'file', 'file', file, has(state.files, file));
    }
  }
  for (const file of Object.values(state.files)) {
    if (file.kind === 'socket') {
      for (const message of file.receiveQueue) {
        for (const inflight of message) dangling('file', file.id, 'in-flight file', 'file', inflight, has(state.files, inflight));
      }
    } else if (file.kind === 'fscontext') {
      if (file.sb !== null) dangling('file', file.id, 'superblock', 'super_block', file.sb, has(state.superBlocks, file.sb));
    } else {
      dangling('file', file.id, 'mount', 'mount', file.f_path.mnt, has(state.mounts, file.f_path.mnt));
      dangling('file', file.id, 'dentry', 'dentry', file.f_path.dentry, has(state.dentries, file.f_path.dentry));
    }
  }
  for (const ns of Object.values(state.mntNamespaces)) {
    dangling('mnt_namespace', ns.id, 'root mount', 'mount', ns.root, has(state.mounts, ns.root));
    if (ns.stashed !== null) dangling('mnt_namespace', ns.id, 'stashed nsfs dentry', 'dentry', ns.stashed, has(state.dentries, ns.stashed));
  }
  for (const mount of Object.values(state.mounts)) {
    dangling('mount', mount.id, 'superblock', 'super_block', mount.mnt_sb, has(state.superBlocks, mount.mnt_sb));
    dangling('mount', mount.id, 'root dentry', 'dentry', mount.mnt_root, has(state.dentries, mount.mnt_root));
    if (mount.mnt_ns !== null) dangling('mount', mount.id, 'namespace', 'mnt_namespace', mount.mnt_ns, has(state.mntNamespaces, mount.mnt_ns));
    if (mount.mnt_parent !== null) dangling('mount', mount.id, 'parent mount', 'mount', mount.mnt_parent, has(state.mounts, mount.mnt_parent));
    if (mount.mnt_mountpoint !== null) {
      dangling('mount', mount.id, 'mountpoint dentry', 'dentry', mount.mnt_mountpoint, has(state.dentries, mount.mnt_mountpoint));
      // mount->mnt_mp: an attached mount holds its struct mountpoint
      if (mount.mnt_parent !== null) {
        dangling('mount', mount.id, 'struct mountpoint', 'mountpoint', mount.mnt_mountpoint, has(state.mountpoints, mount.mnt_mountpoint));
      }
    }
    for (const child of mount.mnt_mounts) dangling('mount', mount.id, 'child mount', 'mount', child, has(state.mounts, child));
    if (mount.mnt_master !== null) dangling('mount', mount.id, 'master mount', 'mount', mount.mnt_master, has(state.mounts, mount.mnt_master));
  }
  for (const dentry of Object.values(state.dentries)) {
    dangling('dentry', dentry.id, 'superblock', 'super_block', dentry.d_sb, has(state.superBlocks, dentry.d_sb));
    if (dentry.kind === 'nsfs') dangling('dentry', dentry.id, 'namespace', 'mnt_namespace', dentry.ns, has(state.mntNamespaces, dentry.ns));
  }
  for (const mountpoint of Object.values(state.mountpoints)) {
    dangling('mountpoint', mountpoint.m_dentry, 'dentry', 'dentry', mountpoint.m_dentry, has(state.dentries, mountpoint.m_dentry));
  }
  return violations;
}

export const noUseAfterFree: Invariant = {
  name: NAME,
  guards: 'no object is freed while something can still reach it',
  check: checkNoUseAfterFree,
  reads: ALL_STATE_PARTS,
};
