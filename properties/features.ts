// The deep states a run reaches, for `mntns check --stats`: how often random exploration gets to
// the situations where mount-namespace bugs live.
import type { Event, Result, State } from '../model/index.js';

export const FEATURES = {
  'three-namespaces': 'three or more mount namespaces alive at once',
  'stacked-mounts': 'a mount stacked on the root of another mount',
  'nested-mounts': 'a mount inside a mount inside the root filesystem',
  'lazy-umount-held': 'a lazily unmounted mount still held by an fd or cwd',
  'nsfs-bind-other': "a bind mount of another namespace's nsfs file",
  'fd-passed-across-ns': 'an fd received from a socket by a task of another namespace than its mount',
  'namespace-freed': 'a mount namespace torn down by its last put',
} as const;

export type Feature = keyof typeof FEATURES;

const INITIAL_MOUNTS = 4;

/** The features a state shows. */
export function stateFeatures(state: State, into: Set<Feature>): void {
  let namespaces = 0;
  for (const ns of Object.values(state.mntNamespaces)) if (!ns.anon) namespaces++;
  if (namespaces >= 3) into.add('three-namespaces');
  for (const mount of Object.values(state.mounts)) {
    if (mount.id <= INITIAL_MOUNTS) continue;
    const parent = mount.mnt_parent === null ? undefined : state.mounts[mount.mnt_parent];
    if (parent !== undefined && parent.mnt_root === mount.mnt_mountpoint && parent.id > INITIAL_MOUNTS) {
      into.add('stacked-mounts');
    }
    if (parent !== undefined && parent.id > INITIAL_MOUNTS && parent.mnt_parent !== null) {
      const grandparent = state.mounts[parent.mnt_parent];
      if (grandparent !== undefined && grandparent.mnt_parent !== null) into.add('nested-mounts');
    }
    if (mount.mnt_ns === null && !mount.internal && mount.mnt_count > 0) into.add('lazy-umount-held');
    const root = state.dentries[mount.mnt_root];
    if (root !== undefined && root.kind === 'nsfs' && root.ns !== mount.mnt_ns) into.add('nsfs-bind-other');
  }
}

/** The features an event shows by what it did. */
export function eventFeatures(before: State, event: Event, result: Result, after: State, into: Set<Feature>): void {
  if (Object.keys(after.mntNamespaces).length < Object.keys(before.mntNamespaces).length) into.add('namespace-freed');
  if (event.type === 'recvmsg' && result.ok && result.fds !== undefined && result.fds.length > 0) {
    const task = after.tasks[event.task];
    const table = task === undefined ? undefined : after.filesStructs[task.files];
    for (const fd of result.fds) {
      const file = table === undefined ? undefined : after.files[table.fdt[fd] as keyof State['files']];
      if (file === undefined || file.kind !== 'path' || task === undefined) continue;
      const mount = after.mounts[file.f_path.mnt];
      const dentry = after.dentries[file.f_path.dentry];
      const ns = dentry?.kind === 'nsfs' ? dentry.ns : mount?.mnt_ns;
      if (ns !== undefined && ns !== null && ns !== task.mntNs) into.add('fd-passed-across-ns');
    }
  }
}
