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

export function checkNoLeak(state: State): Violation[] {
  const seen = new Set<string>();
  const stack: [ObjectKind, number][] = [];
  const visit = (kind: ObjectKind, id: number): void => {
    const key = `${kind}:${id}`;
    if (seen.has(key)) return;
    seen.add(key);
    stack.push([kind, id]);
  };
  const mountsByNs = new Map<number, number[]>();
  for (const mount of Object.values(state.mounts)) {
    if (mount.mnt_ns === null) continue;
    const list = mountsByNs.get(mount.mnt_ns) ?? [];
    list.push(mount.id);
    mountsByNs.set(mount.mnt_ns, list);
  }
  for (const task of Object.values(state.tasks)) visit('task', task.pid);
  visit('mount', state.nsfsMnt);
  while (stack.length > 0) {
    const [kind, id] = stack.pop() as [ObjectKind, number];
    switch (kind) {
      case 'task': {
        const task = state.tasks[id as keyof State['tasks']];
        if (task === undefined) break;
        visit('mnt_namespace', task.mntNs);
        visit('fs_struct', task.fs);
        visit('files_struct', task.files);
        break;
      }
      case 'fs_struct': {
        const fs = state.fsStructs[id as keyof State['fsStructs']];
        if (fs === undefined) break;
        for (const path of [fs.root, fs.pwd]) {
          visit('mount', path.mnt);
          visit('dentry', path.dentry);
        }
        break;
      }
      case 'files_struct': {
        const table = state.filesStructs[id as keyof State['filesStructs']];
        if (table === undefined) break;
        for (const file of Object.values(table.fdt)) visit('file', file);
        break;
      }
      case 'file': {
        const file = state.files[id as keyof State['files']];
        if (file === undefined) break;
        if (file.kind === 'socket') {
          for (const message of file.receiveQueue) for (const inflight of message) visit('file', inflight);
        } else {
          visit('mount', file.f_path.mnt);
          visit('dentry', file.f_path.dentry);
        }
        break;
      }
      case 'mnt_namespace': {
        const ns = state.mntNamespaces[id as keyof State['mntNamespaces']];
        if (ns === undefined) break;
        visit('mount', ns.root);
        for (const mount of mountsByNs.get(id) ?? []) visit('mount', mount);
        break;
      }
      case 'mount': {
        const mount = state.mounts[id as keyof State['mounts']];
        if (mount === undefined) break;
        visit('super_block', mount.mnt_sb);
        visit('dentry', mount.mnt_root);
        for (const child of mount.mnt_mounts) visit('mount', child);
        break;
      }
      case 'dentry': {
        const dentry = state.dentries[id as keyof State['dentries']];
        if (dentry !== undefined && dentry.kind === 'nsfs') visit('mnt_namespace', dentry.ns);
        break;
      }
      default:
        break;
    }
  }
  const violations: Violation[] = [];
  const report = (kind: ObjectKind, what: string, ids: readonly number[]): void => {
    for (const id of ids) {
      if (seen.has(`${kind}:${id}`)) continue;
      violations.push({
        invariant: NAME,
        objects: [ref(kind, id)],
        message: `${what} ${id} is still allocated but nothing live can reach it: it can never be freed`,
      });
    }
  };
  report('mnt_namespace', 'mount namespace', Object.values(state.mntNamespaces).map((ns) => ns.id));
  report('mount', 'mount', Object.values(state.mounts).map((mount) => mount.id));
  report('super_block', 'superblock', Object.values(state.superBlocks).map((sb) => sb.id));
  report('file', 'file', Object.values(state.files).map((file) => file.id));
  report('fs_struct', 'fs_struct', Object.values(state.fsStructs).map((fs) => fs.id));
  report('files_struct', 'files_struct', Object.values(state.filesStructs).map((table) => table.id));
  report(
    'dentry',
    'nsfs dentry',
    Object.values(state.dentries)
      .filter((dentry) => dentry.kind === 'nsfs')
      .map((dentry) => dentry.id),
  );
  return violations;
}

export const noLeak: Invariant = {
  name: NAME,
  guards: 'every object can still be released: nothing survives its last holder',
  check: checkNoLeak,
};
