// fs/pnode.c: mount propagation. A peer group is the set of mounts sharing one mnt_group_id (a
// mount with a group is "shared"); a slave has mnt_master set and receives from its master's
// group. The model keeps no peer or slave lists: peers are the mounts with the same group id and
// the slaves of a mount those whose mnt_master is it, both in id order (the kernel's list order
// differs, which changes only which ids the copies get). On a settled state both come from an
// index built once per mount table; on a draft, from one scan of the table as it stands.
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
import { isDraft } from 'immer';
import type { DentryId, MntNsId, MountId, PeerGroupId } from '../ids.js';
import { peerGroupId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Draft, DraftState, Mount, State } from '../state.js';
import { isSubdir, lookupMnt, subtree } from './mount-tree.js';
import { latestValue, latestValues } from './tables.js';

const byId = (a: Mount, b: Mount): number => a.id - b.id;

/** Peer groups by mnt_group_id and slave lists by mnt_master, each in id order. */
interface PropagationIndex {
  readonly peers: ReadonlyMap<PeerGroupId, readonly Mount[]>;
  readonly slaves: ReadonlyMap<MountId, readonly Mount[]>;
}

/**
 * The index of a settled (non-draft) mount table, built once: a state is never changed in place
 * (the next one is a new object from immer), so the table object identifies its contents.
 */
const settledIndexes = new WeakMap<object, PropagationIndex>();

function buildIndex(mounts: readonly Mount[]): PropagationIndex {
  const peers = new Map<PeerGroupId, Mount[]>();
  const slaves = new Map<MountId, Mount[]>();
  for (const mount of mounts) {
    if (mount.mnt_group_id !== null) {
      const group = peers.get(mount.mnt_group_id);
      if (group === undefined) peers.set(mount.mnt_group_id, [mount]);
      else group.push(mount);
    }
    if (mount.mnt_master !== null) {
      const list = slaves.get(mount.mnt_master);
      if (list === undefined) slaves.set(mount.mnt_master, [mount]);
      else list.push(mount);
    }
  }
  for (const group of peers.values()) group.sort(byId);
  for (const list of slaves.values()) list.sort(byId);
  return { peers, slaves };
}

function settledIndex(state: State): PropagationIndex | null {
  if (isDraft(state.mounts)) return null;
  let index = settledIndexes.get(state.mounts);
  if (index === undefined) {
    index = buildIndex(Object.values(state.mounts));
    settledIndexes.set(state.mounts, index);
  }
  return index;
}

/** The peer group of a mount, itself included, in id order; just the mount when it is not shared. */
export function peersOf(state: State, id: MountId): Mount[] {
  const mount = state.mounts[id];
  if (mount === undefined) return [];
  if (mount.mnt_group_id === null) return [mount];
  const group = mount.mnt_group_id;
  const index = settledIndex(state);
  if (index !== null) return [...(index.peers.get(group) ?? [])];
  return latestValues(state.mounts)
    .filter((other) => other.mnt_group_id === group)
    .sort(byId);
}

/** mnt_slave_list: the mounts whose master is this one, in id order. */
export function slavesOf(state: State, id: MountId): Mount[] {
  const index = settledIndex(state);
  if (index !== null) return [...(index.slaves.get(id) ?? [])];
  return latestValues(state.mounts)
    .filter((other) => other.mnt_master === id)
    .sort(byId);
}

/**
 * Where propagation code reads peer groups and slave lists, and through which do_make_slave()
 * changes them. The plain view scans the table per question; a tracked view indexes a draft's
 * table once and keeps the index up to date with every change made through it, so that
 * umount_tree() making a whole tree private reads the table once instead of once per mount.
 */
export interface PropagationView {
  peers(id: MountId): Mount[];
  slaves(id: MountId): Mount[];
  setGroup(id: MountId, group: PeerGroupId | null): void;
  setMaster(id: MountId, master: MountId | null): void;
}

/** Questions answered by peersOf() and slavesOf(); changes written straight to the draft. */
export function plainView(state: State): PropagationView {
  const writable = (id: MountId): Draft<Mount> | undefined => (state as DraftState).mounts[id];
  return {
    peers: (id) => peersOf(state, id),
    slaves: (id) => slavesOf(state, id),
    setGroup: (id, group) => {
      const mount = writable(id);
      if (mount !== undefined) mount.mnt_group_id = group;
    },
    setMaster: (id, master) => {
      const mount = writable(id);
      if (mount !== undefined) mount.mnt_master = master;
    },
  };
}

/** A view over a draft that indexes its mount table once; only correct while every change to mnt_group_id and mnt_master goes through it. */
export function trackedView(draft: DraftState): PropagationView {
  const peers = new Map<PeerGroupId, Set<MountId>>();
  const slaves = new Map<MountId, Set<MountId>>();
  const add = <K>(map: Map<K, Set<MountId>>, key: K, id: MountId): void => {
    const set = map.get(key);
    if (set === undefined) map.set(key, new Set([id]));
    else set.add(id);
  };
  for (const mount of latestValues(draft.mounts as State['mounts'])) {
    if (mount.mnt_group_id !== null) add(peers, mount.mnt_group_id, mount.id);
    if (mount.mnt_master !== null) add(slaves, mount.mnt_master, mount.id);
  }
  const mounts = (ids: ReadonlySet<MountId> | undefined): Mount[] => {
    const found: Mount[] = [];
    for (const id of [...(ids ?? [])].sort((a, b) => a - b)) {
      const mount = latestValue(draft.mounts as State['mounts'], id);
      if (mount !== undefined) found.push(mount);
    }
    return found;
  };
  return {
    peers: (id) => {
      const mount = latestValue(draft.mounts as State['mounts'], id);
      if (mount === undefined) return [];
      return mount.mnt_group_id === null ? [mount] : mounts(peers.get(mount.mnt_group_id));
    },
    slaves: (id) => mounts(slaves.get(id)),
    setGroup: (id, group) => {
      const mount = draft.mounts[id];
      if (mount === undefined) return;
      if (mount.mnt_group_id !== null) peers.get(mount.mnt_group_id)?.delete(id);
      if (group !== null) add(peers, group, id);
      mount.mnt_group_id = group;
    },
    setMaster: (id, master) => {
      const mount = draft.mounts[id];
      if (mount === undefined) return;
      if (mount.mnt_master !== null) slaves.get(mount.mnt_master)?.delete(id);
      if (master !== null) add(slaves, master, id);
      mount.mnt_master = master;
    },
  };
}

/** next_peer(): the peer after `id` in the group's (id) order, wrapping round; itself if alone. */
function nextPeer(view: PropagationView, id: MountId): Mount | undefined {
  const peers = view.peers(id);
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
function doMakeSlave(draft: DraftState, id: MountId, view: PropagationView): void {
  const mount = draft.mounts[id];
  if (mount === undefined) return;
  const peers = view.peers(id);
  let master: MountId | null;
  if (peers.length <= 1) {
    view.setGroup(id, null); // mnt_release_group_id(), CLEAR_MNT_SHARED()
    master = mount.mnt_master;
    if (master === null) {
      for (const slave of view.slaves(id)) view.setMaster(slave.id, null);
      return;
    }
  } else {
    // Slave it to a peer with the same root dentry, else to the next peer.
    const sameRoot = peers.find((peer) => peer.id !== id && peer.mnt_root === mount.mnt_root);
    master = (sameRoot ?? nextPeer(view, id))?.id ?? null;
    view.setGroup(id, null);
  }
  for (const slave of view.slaves(id)) view.setMaster(slave.id, master);
  view.setMaster(id, master);
}

/** fs/pnode.c: change_mnt_propagation(); MS_SHARED allocates the group invent_group_ids() would. */
export function changeMntPropagation(
  draft: DraftState,
  id: MountId,
  type: PropagationType,
  view: PropagationView = plainView(draft as unknown as State),
): void {
  const mount = draft.mounts[id];
  if (mount === undefined) return;
  if (type === 'MS_SHARED') {
    if (mount.mnt_group_id === null) view.setGroup(id, peerGroupId(draft.next.peerGroup++)); // mnt_alloc_group_id()
    mount.unbindable = false; // set_mnt_shared() clears T_SHARED_MASK
    return;
  }
  doMakeSlave(draft, id, view);
  if (type !== 'MS_SLAVE') {
    view.setMaster(id, null);
    mount.unbindable = type === 'MS_UNBINDABLE';
  }
}

/**
 * The receivers of a mount, as propagation_next() walks them: its peers, then depth-first the
 * slaves of every member of the groups reached (a mount never receives from its own slaves).
 * `origin` itself is not included.
 */
export function propagationReceivers(
  state: State,
  origin: MountId,
  view: PropagationView = plainView(state),
): MountId[] {
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
      for (const slave of view.slaves(member.id)) {
        if (seen.has(slave.id)) continue;
        visitGroup(view.peers(slave.id));
      }
    }
  };
  const mount = state.mounts[origin];
  if (mount === undefined) return order;
  visitGroup(view.peers(origin));
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
