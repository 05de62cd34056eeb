// No live object refers to a freed one. The model deletes an object from its table when the
// kernel would free it, so a dangling id is exactly a use-after-free.
import type { State } from '../../model/index.js';
import type { Invariant, ObjectKind, ObjectRef, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'no-use-after-free';

export function checkNoUseAfterFree(state: State): Violation[] {
  const violations: Violation[] = [];
  const dangling = (holder: ObjectRef, what: string, kind: ObjectKind, id: number, present: boolean): void => {
    if (present) return;
    violations.push({
      invariant: NAME,
      objects: [holder, ref(kind, id)],
      message: `${holder.kind.replace('_', ' ')} ${holder.id} still uses ${what} ${id}, which was freed`,
    });
  };
  const has = <T>(table: Readonly<Record<number, T>>, id: number): boolean => table[id] !== undefined;

  for (const task of Object.values(state.tasks)) {
    const holder = ref('task', task.pid);
    dangling(holder, 'mount namespace', 'mnt_namespace', task.mntNs, has(state.mntNamespaces, task.mntNs));
    dangling(holder, 'fs_struct', 'fs_struct', task.fs, has(state.fsStructs, task.fs));
    dangling(holder, 'files_struct', 'files_struct', task.files, has(state.filesStructs, task.files));
  }
  for (const fs of Object.values(state.fsStructs)) {
    const holder = ref('fs_struct', fs.id);
    for (const [which, path] of [['root', fs.root], ['cwd', fs.pwd]] as const) {
      dangling(holder, `${which} mount`, 'mount', path.mnt, has(state.mounts, path.mnt));
      dangling(holder, `${which} dentry`, 'dentry', path.dentry, has(state.dentries, path.dentry));
    }
  }
  for (const table of Object.values(state.filesStructs)) {
    for (const file of Object.values(table.fdt)) {
      dangling(ref('files_struct', table.id), 'file', 'file', file, has(state.files, file));
    }
  }
  for (const file of Object.values(state.files)) {
    const holder = ref('file', file.id);
    if (file.kind === 'socket') {
      for (const message of file.receiveQueue) {
        for (const inflight of message) dangling(holder, 'in-flight file', 'file', inflight, has(state.files, inflight));
      }
    } else {
      dangling(holder, 'mount', 'mount', file.f_path.mnt, has(state.mounts, file.f_path.mnt));
      dangling(holder, 'dentry', 'dentry', file.f_path.dentry, has(state.dentries, file.f_path.dentry));
    }
  }
  for (const ns of Object.values(state.mntNamespaces)) {
    const holder = ref('mnt_namespace', ns.id);
    dangling(holder, 'root mount', 'mount', ns.root, has(state.mounts, ns.root));
    if (ns.stashed !== null) dangling(holder, 'stashed nsfs dentry', 'dentry', ns.stashed, has(state.dentries, ns.stashed));
  }
  for (const mount of Object.values(state.mounts)) {
    const holder = ref('mount', mount.id);
    dangling(holder, 'superblock', 'super_block', mount.mnt_sb, has(state.superBlocks, mount.mnt_sb));
    dangling(holder, 'root dentry', 'dentry', mount.mnt_root, has(state.dentries, mount.mnt_root));
    if (mount.mnt_ns !== null) dangling(holder, 'namespace', 'mnt_namespace', mount.mnt_ns, has(state.mntNamespaces, mount.mnt_ns));
    if (mount.mnt_parent !== null) dangling(holder, 'parent mount', 'mount', mount.mnt_parent, has(state.mounts, mount.mnt_parent));
    if (mount.mnt_mountpoint !== null) {
      dangling(holder, 'mountpoint dentry', 'dentry', mount.mnt_mountpoint, has(state.dentries, mount.mnt_mountpoint));
    }
    for (const child of mount.mnt_mounts) dangling(holder, 'child mount', 'mount', child, has(state.mounts, child));
    if (mount.mnt_master !== null) dangling(holder, 'master mount', 'mount', mount.mnt_master, has(state.mounts, mount.mnt_master));
  }
  for (const dentry of Object.values(state.dentries)) {
    const holder = ref('dentry', dentry.id);
    dangling(holder, 'superblock', 'super_block', dentry.d_sb, has(state.superBlocks, dentry.d_sb));
    if (dentry.kind === 'nsfs') dangling(holder, 'namespace', 'mnt_namespace', dentry.ns, has(state.mntNamespaces, dentry.ns));
  }
  for (const mountpoint of Object.values(state.mountpoints)) {
    const holder = ref('mountpoint', mountpoint.m_dentry);
    dangling(holder, 'dentry', 'dentry', mountpoint.m_dentry, has(state.dentries, mountpoint.m_dentry));
  }
  return violations;
}

export const noUseAfterFree: Invariant = {
  name: NAME,
  guards: 'no object is freed while something can still reach it',
  check: checkNoUseAfterFree,
};
