// The deep states a run reaches, for `mntns check --stats`: how often random exploration gets to
// the situations where mount-namespace bugs live.
import type { Event, Fd, File, MntNsId, MountId, PeerGroupId, Result, State, TaskId } from '../model/index.js';

export const FEATURES = {
  'three-namespaces': 'three or more mount namespaces alive at once',
  'stacked-mounts': 'a mount stacked on the root of another mount',
  'nested-mounts': 'a mount inside a mount inside the root filesystem',
  'lazy-umount-held': 'a lazily unmounted mount still held by an fd or cwd',
  'nsfs-bind-other': "a bind mount of another namespace's nsfs file",
  'fd-passed-across-ns': 'an fd received from a socket by a task of another namespace than its mount',
  'namespace-freed': 'a mount namespace torn down by its last put',
  'peer-across-ns': 'a shared mount with a peer in another mount namespace',
  'slave-across-ns': 'a slave mount whose master is in another mount namespace',
  'propagated-mount': 'a step that created mounts in more than one place (propagation)',
  'propagated-umount': 'a umount that took mounts from more than one place (propagation)',
  'userns-owned-ns': 'a mount namespace owned by a user namespace other than the initial one',
  'locked-mount': 'a locked mount (MNT_LOCKED), copied into a less privileged namespace',
  'detached-tree-held': 'a detached tree (anonymous namespace) held by an fd',
  'detached-tree-foreign': 'a detached tree held by a task of another namespace than the one it was copied from',
  'detached-tree-passed': 'a detached tree received from a socket (SCM_RIGHTS)',
  'detached-tree-attached': 'a detached tree attached by move_mount',
  'pivot-root': 'a pivot_root that succeeded',
  'mount-moved': 'a move (MS_MOVE or move_mount) that succeeded',
} as const;

export type Feature = keyof typeof FEATURES;

const INITIAL_MOUNTS = 4;

/** The file behind one of a task's descriptors. */
function fileOf(state: State, pid: TaskId, fd: Fd): File | undefined {
  const task = state.tasks[pid];
  const id = task === undefined ? undefined : state.filesStructs[task.files]?.fdt[fd];
  return id === undefined ? undefined : state.files[id];
}

/** The namespace a mount is in, when that is a mount namespace rather than a detached tree. */
function namedNs(state: State, mnt: MountId): MntNsId | null {
  const ns = state.mounts[mnt]?.mnt_ns;
  if (ns === undefined || ns === null) return null;
  return state.mntNamespaces[ns]?.anon === false ? ns : null;
}

/** The anonymous namespace of a detached tree a mount belongs to, if it does. */
function anonNs(state: State, mnt: MountId): MntNsId | null {
  const ns = state.mounts[mnt]?.mnt_ns;
  if (ns === undefined || ns === null) return null;
  return state.mntNamespaces[ns]?.anon === true ? ns : null;
}

function mountFeatures(state: State, into: Set<Feature>): void {
  const groupNs = new Map<PeerGroupId, MntNsId>();
  for (const mount of Object.values(state.mounts)) {
    if (mount.flags.locked) into.add('locked-mount');
    const ns = namedNs(state, mount.id);
    if (mount.mnt_group_id !== null && ns !== null) {
      const seen = groupNs.get(mount.mnt_group_id);
      if (seen === undefined) groupNs.set(mount.mnt_group_id, ns);
      else if (seen !== ns) into.add('peer-across-ns');
    }
    if (mount.mnt_master !== null && ns !== null) {
      const masterNs = namedNs(state, mount.mnt_master);
      if (masterNs !== null && masterNs !== ns) into.add('slave-across-ns');
    }
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

/** Detached trees held in fd tables, and by whom. */
function detachedTreeFeatures(state: State, into: Set<Feature>): void {
  for (const task of Object.values(state.tasks)) {
    const table = state.filesStructs[task.files];
    if (table === undefined) continue;
    for (const fileId of Object.values(table.fdt)) {
      const file = state.files[fileId];
      if (file === undefined || file.kind !== 'path') continue;
      const anon = anonNs(state, file.f_path.mnt);
      if (anon === null) continue;
      into.add('detached-tree-held');
      const origin = state.mntNamespaces[anon]?.seq_origin;
      if (origin !== undefined && origin !== 0 && origin !== state.mntNamespaces[task.mntNs]?.seq) {
        into.add('detached-tree-foreign');
      }
    }
  }
}

/** The features a state shows. */
export function stateFeatures(state: State, into: Set<Feature>): void {
  let namespaces = 0;
  for (const ns of Object.values(state.mntNamespaces)) {
    if (ns.anon) continue;
    namespaces++;
    const owner = state.userNamespaces[ns.user_ns];
    if (owner !== undefined && owner.parent !== null) into.add('userns-owned-ns');
  }
  if (namespaces >= 3) into.add('three-namespaces');
  mountFeatures(state, into);
  detachedTreeFeatures(state, into);
}

const isMove = (event: Event): boolean =>
  event.type === 'move_mount' || (event.type === 'mount' && event.flags.includes('MS_MOVE'));

/** Mounts a step attached under mounts that existed before it (the roots of what it grafted). */
function graftedRoots(before: State, after: State): number {
  let roots = 0;
  for (let id = before.next.mount; id < after.next.mount; id++) {
    const parent = after.mounts[id as MountId]?.mnt_parent;
    if (parent !== undefined && parent !== null && parent < before.next.mount) roots++;
  }
  return roots;
}

/** Mounts a step took out of a namespace while their parent stayed in it (the roots of what it cut). */
function cutRoots(before: State, after: State): number {
  let roots = 0;
  for (const mount of Object.values(before.mounts)) {
    if (mount.mnt_ns === null || mount.mnt_parent === null) continue;
    const now = after.mounts[mount.id];
    if (now !== undefined && now.mnt_ns === mount.mnt_ns) continue;
    if (after.mounts[mount.mnt_parent]?.mnt_ns === mount.mnt_ns) roots++;
  }
  return roots;
}

/** The features an event shows by what it did. */
export function eventFeatures(before: State, event: Event, result: Result, after: State, into: Set<Feature>): void {
  if (Object.keys(after.mntNamespaces).length < Object.keys(before.mntNamespaces).length) into.add('namespace-freed');
  if (!result.ok) return;
  if (event.type === 'pivot_root') into.add('pivot-root');
  if (isMove(event)) into.add('mount-moved');
  if (event.type === 'mount' || event.type === 'move_mount') {
    if (graftedRoots(before, after) + (isMove(event) ? 1 : 0) >= 2) into.add('propagated-mount');
  }
  if (event.type === 'umount2' && cutRoots(before, after) >= 2) into.add('propagated-umount');
  if (event.type === 'move_mount') {
    const from = event.from_dfd === 'AT_FDCWD' ? undefined : fileOf(before, event.task, event.from_dfd);
    if (from?.kind === 'path' && anonNs(before, from.f_path.mnt) !== null) into.add('detached-tree-attached');
  }
  if (event.type === 'recvmsg' && result.fds !== undefined && result.fds.length > 0) {
    const task = after.tasks[event.task];
    if (task === undefined) return;
    for (const fd of result.fds) {
      const file = fileOf(after, event.task, fd);
      if (file === undefined || file.kind !== 'path') continue;
      if (anonNs(after, file.f_path.mnt) !== null) into.add('detached-tree-passed');
      const dentry = after.dentries[file.f_path.dentry];
      const ns = dentry?.kind === 'nsfs' ? dentry.ns : namedNs(after, file.f_path.mnt);
      if (ns !== null && ns !== task.mntNs) into.add('fd-passed-across-ns');
    }
  }
}
