// fs/pnode.c: mount propagation. A peer group is the set of mounts sharing one mnt_group_id (a
// mount with a group is "shared"); a slave has mnt_master set and receives from its master's
// group. The model keeps no peer or slave lists: peers are the mounts with the same group id and
// the slaves of a mount those whose mnt_master is it, both in id order (the kernel's list order
// differs, which changes only which ids the copies get).
//
// change_mnt_propagation() (mount_namespaces(7), and Documentation/filesystems/sharedsubtree.rst):
//   current \ request | make-shared       | make-slave                            | make-private | make-unbindable
//   shared, has peers | shared            | slave of a peer (one with the same    | private      | unbindable
//                     |                   | root preferred); slaves go to it      |              |
//   shared, alone     | shared            | slave of its old master, or private;  | private      | unbindable
//                     |                   | its slaves go to that master          |              |
//   slave             | shared and slave  | slave                                 | private      | unbindable
//   private           | shared (new group)| private                               | private      | unbindable
//   unbindable        | shared (new group)| unbindable                            | private      | unbindable
import type { PropagationType } from '../events.js';
import type { DentryId, MntNsId, MountId } from '../ids.js';
import { peerGroupId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState, Mount, State } from '../state.js';
import { isSubdir, lookupMnt, subtree } from './mount-tree.js';

const byId = (a: Mount, b: Mount): number => a.id - b.id;

/** The peer group of a mount, itself included, in id order; just the mount when it is not shared. */
export function peersOf(state: State, id: MountId): Mount[] {
  const mount = state.mounts[id];
  if (mount === undefined) return [];
  if (mount.mnt_group_id === null) return [mount];
  const group = mount.mnt_group_id;
  return Object.values(state.mounts)
    .filter((other) => other.mnt_group_id === group)
    .sort(byId);
}

/** mnt_slave_list: the mounts whose master is this one, in id order. */
export function slavesOf(state: State, id: MountId): Mount[] {
  return Object.values(state.mounts)
    .filter((other) => other.mnt_master === id)
    .sort(byId);
}

/** next_peer(): the peer after `id` in the group's (id) order, wrapping round; itself if alone. */
function nextPeer(state: State, id: MountId): Mount | undefined {
  const peers = peersOf(state, id);
  const index = peers.findIndex((peer) => peer.id === id);
  return peers[(index + 1) % peers.length];
}

/** mnt_alloc_group_id(). */
function allocGroupId(draft: DraftState, mount: Mount): void {
  const writable = draft.mounts[mount.id];
  if (writable !== undefined) writable.mnt_group_id = peerGroupId(draft.next.peerGroup++);
}

/** fs/namespace.c: invent_group_ids(): a new peer group for every mount of the tree without one. */
export function inventGroupIds(draft: DraftState, root: MountId, recurse: boolean): void {
  const mounts = recurse ? subtree(draft, root) : [root];
  for (const id of mounts) {
    const mount = draft.mounts[id];
    if (mount !== undefined && mount.mnt_group_id === null) allocGroupId(draft, mount);
  }
}

/** fs/pnode.c: do_make_slave(): leave the peer group, handing the slaves on. */
function doMakeSlave(draft: DraftState, id: MountId): void {
  const mount = draft.mounts[id];
  if (mount === undefined) return;
  const peers = peersOf(draft, id);
  let master: MountId | null;
  if (peers.length <= 1) {
    mount.mnt_group_id = null; // mnt_release_group_id(), CLEAR_MNT_SHARED()
    master = mount.mnt_master;
    if (master === null) {
      for (const slave of slavesOf(draft, id)) {
        const writable = draft.mounts[slave.id];
        if (writable !== undefined) writable.mnt_master = null;
      }
      return;
    }
  } else {
    // Slave it to a peer with the same root dentry, else to the next peer.
    const sameRoot = peers.find((peer) => peer.id !== id && peer.mnt_root === mount.mnt_root);
    master = (sameRoot ?? nextPeer(draft, id))?.id ?? null;
    mount.mnt_group_id = null;
  }
  for (const slave of slavesOf(draft, id)) {
    const writable = draft.mounts[slave.id];
    if (writable !== undefined) writable.mnt_master = master;
  }
  mount.mnt_master = master;
}

/** fs/pnode.c: change_mnt_propagation(); MS_SHARED allocates the group invent_group_ids() would. */
export function changeMntPropagation(draft: DraftState, id: MountId, type: PropagationType): void {
  const mount = draft.mounts[id];
  if (mount === undefined) return;
  if (type === 'MS_SHARED') {
    if (mount.mnt_group_id === null) allocGroupId(draft, mount);
    mount.unbindable = false; // set_mnt_shared() clears T_SHARED_MASK
    return;
  }
  doMakeSlave(draft, id);
  if (type !== 'MS_SLAVE') {
    mount.mnt_master = null;
    mount.unbindable = type === 'MS_UNBINDABLE';
  }
}

/**
 * The receivers of a mount, as propagation_next() walks them: its peers, then depth-first the
 * slaves of every member of the groups reached (a mount never receives from its own slaves).
 * `origin` itself is not included.
 */
export function propagationReceivers(state: State, origin: MountId): MountId[] {
  const order: MountId[] = [];
  const seen = new Set<MountId>([origin]);
  const visitGroup = (members: readonly Mount[]): void => {
    for (const member of members) {
      if (!seen.has(member.id)) {
        seen.add(member.id);
        order.push(member.id);
      }
    }
    for (const member of members) {
      for (const slave of slavesOf(state, member.id)) {
        if (seen.has(slave.id)) continue;
        visitGroup(peersOf(state, slave.id));
      }
    }
  };
  const mount = state.mounts[origin];
  if (mount === undefined) return order;
  visitGroup(peersOf(state, origin));
  return order;
}

/** How propagate_mnt() makes one secondary copy. */
export interface PropagationTarget {
  /** The mount that receives the copy, at the same mountpoint dentry as the original. */
  readonly receiver: MountId;
  /** What is copied: -1 for the tree being attached, else the index of an earlier copy. */
  readonly copyOf: number;
  readonly slave: boolean; // CL_SLAVE: each copied mount is a slave of the one it copies
  readonly makeShared: boolean; // CL_MAKE_SHARED: each copied mount is (or joins) a peer group
}

/** fs/pnode.c: need_secondary(). */
function needSecondary(state: State, receiver: Mount, mountpoint: DentryId, opts: ModelOptions): boolean {
  if (receiver.mnt_ns === null) return false; // IS_MNT_NEW(): not (yet) in a namespace
  if (!isSubdir(state, mountpoint, receiver.mnt_root)) return false; // mountpoint not visible in it
  const ns = state.mntNamespaces[receiver.mnt_ns];
  if (ns?.anon === true && opts.bug !== 'propagate-into-anon-ns') return false;
  return true;
}

/**
 * fs/pnode.c: propagate_mnt(), planned on the unchanged state: one copy for every receiver of
 * `dest` that can see the mountpoint. Groups are visited depth-first from dest's own; copies in
 * dest's group are peers of the tree attached; the first copy in a slave group is a slave of the
 * copy made for the nearest group upstream of it (find_master()), and the rest of its group are
 * peers of that first copy. Only called when dest is shared.
 */
export function planPropagation(
  state: State,
  dest: MountId,
  mountpoint: DentryId,
  opts: ModelOptions,
): PropagationTarget[] {
  const targets: PropagationTarget[] = [];
  const seen = new Set<MountId>();
  const visitGroup = (members: readonly Mount[], upstreamCopy: number, destGroup: boolean): void => {
    let firstCopy: number | null = null;
    for (const member of members) seen.add(member.id);
    for (const member of members) {
      if (destGroup && member.id === dest) continue; // the original is dest's copy
      if (!needSecondary(state, member, mountpoint, opts)) continue;
      if (destGroup) {
        targets.push({ receiver: member.id, copyOf: -1, slave: false, makeShared: true });
      } else if (firstCopy === null) {
        targets.push({ receiver: member.id, copyOf: upstreamCopy, slave: true, makeShared: member.mnt_group_id !== null });
        firstCopy = targets.length - 1;
      } else {
        targets.push({ receiver: member.id, copyOf: firstCopy, slave: false, makeShared: true });
      }
    }
    const groupCopy = destGroup ? -1 : (firstCopy ?? upstreamCopy);
    for (const member of members) {
      for (const slave of slavesOf(state, member.id)) {
        if (seen.has(slave.id)) continue;
        visitGroup(peersOf(state, slave.id), groupCopy, false);
      }
    }
  };
  visitGroup(peersOf(state, dest), -1, true);
  return targets;
}

/**
 * fs/pnode.c: propagate_mount_busy(): the mount itself has children or is held, or a copy that
 * umount propagation would take away with it (one with no children but a mount covering it
 * whole) is held. The model keeps no transient references, so each threshold is one less than
 * the kernel's.
 */
export function propagateMountBusy(state: State, id: MountId): boolean {
  const mount = state.mounts[id];
  if (mount === undefined) return false;
  if (mount.mnt_mounts.length > 0 || mount.mnt_count > 1) return true;
  if (mount.mnt_parent === null || mount.mnt_mountpoint === null) return false;
  for (const receiver of propagationReceivers(state, mount.mnt_parent)) {
    const child = lookupMnt(state, receiver, mount.mnt_mountpoint);
    const childMount = child === null ? undefined : state.mounts[child];
    if (childMount === undefined) continue;
    if (childMount.mnt_mounts.length > 0) {
      // a mount that covers the child completely would not keep it; any other would
      if (childMount.mnt_mounts.length !== 1 || overmount(state, childMount.id) === null) continue;
    }
    if (childMount.mnt_count > 1) return true;
  }
  return false;
}

/** mount->overmount: the child mounted on this mount's own root dentry, if any. */
export function overmount(state: State, id: MountId): MountId | null {
  const mount = state.mounts[id];
  if (mount === undefined) return null;
  return lookupMnt(state, id, mount.mnt_root);
}

/** fs/pnode.c: propagate_mount_unlock(): the copies of `id` in its parent's receivers lose MNT_LOCKED. */
export function propagateMountUnlock(draft: DraftState, id: MountId): void {
  const mount = draft.mounts[id];
  if (mount === undefined || mount.mnt_parent === null || mount.mnt_mountpoint === null) return;
  for (const receiver of propagationReceivers(draft, mount.mnt_parent)) {
    const child = lookupMnt(draft, receiver, mount.mnt_mountpoint);
    const childMount = child === null ? undefined : draft.mounts[child];
    if (childMount !== undefined) childMount.flags.locked = false;
  }
}

/** Whether a namespace is anonymous (is_anon_ns()). */
export function isAnonNs(state: State, ns: MntNsId | null): boolean {
  return ns !== null && state.mntNamespaces[ns]?.anon === true;
}
