// The propagation graph is well formed (kernel-semantics.md §6.1-6.2, fs/pnode.c): all mounts of a
// peer group have the same master; a master is a live, mounted, shared mount of another group;
// following masters never loops; a mount in no namespace (unmounted, detached, kernel-internal) is
// private, and nothing is its slave; an unbindable mount is in no group and has no master.
//
// Why each holds in the kernel: clone_mnt() gives a peer its original's master; change_mnt_propagation()
// makes a leaving mount hand its slaves to a remaining peer or to its own master
// (propagation_source(), transfer_propagation()), so a master always has a group; umount_tree()
// makes every mount it takes private (bulk_make_private()); set_mnt_shared() clears T_UNBINDABLE
// and make-unbindable clears the master. (do_set_group() could make an unbindable mount a slave,
// since it only refuses a shared or slave `to`; the model leaves MOVE_MOUNT_SET_GROUP out.)
import type { MountId, PeerGroupId, State } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'peer-groups-consistent';

export function checkPeerGroups(state: State): Violation[] {
  const violations: Violation[] = [];
  const bad = (message: string, ...mounts: number[]): void => {
    violations.push({ invariant: NAME, objects: mounts.map((id) => ref('mount', id)), message });
  };
  const firstOfGroup = new Map<PeerGroupId, { readonly id: MountId; readonly master: MountId | null }>();
  for (const mount of Object.values(state.mounts)) {
    const group = mount.mnt_group_id;
    const master = mount.mnt_master;
    if (mount.mnt_ns === null) {
      // umount_tree(): bulk_make_private(); kern_mount() mounts are never made shared
      if (group !== null) bad(`mount ${mount.id} is in no namespace but is still in peer group ${group}`, mount.id);
      if (master !== null) bad(`mount ${mount.id} is in no namespace but is still a slave of mount ${master}`, mount.id, master);
    }
    if (mount.unbindable) {
      // set_mnt_shared() clears T_UNBINDABLE; MS_UNBINDABLE clears mnt_master
      if (group !== null) bad(`mount ${mount.id} is unbindable but is in peer group ${group}`, mount.id);
      if (master !== null) bad(`mount ${mount.id} is unbindable but is a slave of mount ${master}`, mount.id, master);
    }
    if (group !== null) {
      const first = firstOfGroup.get(group);
      if (first === undefined) firstOfGroup.set(group, { id: mount.id, master });
      else if (first.master !== master) {
        bad(
          `mounts ${first.id} and ${mount.id} are peers in group ${group} but have different masters (${String(first.master)} and ${String(master)})`,
          first.id,
          mount.id,
        );
      }
    }
    if (master === null) continue;
    const masterMount = state.mounts[master];
    if (masterMount === undefined) {
      bad(`mount ${mount.id} is a slave of mount ${master}, which was freed`, mount.id, master);
      continue;
    }
    if (master === mount.id) {
      bad(`mount ${mount.id} is its own master`, mount.id);
      continue;
    }
    if (masterMount.mnt_ns === null) {
      bad(`mount ${mount.id} is a slave of mount ${master}, which is in no namespace: its slaves should have been handed on`, mount.id, master);
    }
    if (masterMount.mnt_group_id === null) {
      bad(`mount ${mount.id} is a slave of mount ${master}, which is in no peer group: its slaves should have been handed on`, mount.id, master);
    } else if (masterMount.mnt_group_id === group) {
      bad(`mount ${mount.id} is a slave of mount ${master} of its own peer group ${group}`, mount.id, master);
    }
  }
  violations.push(...masterLoops(state));
  return violations;
}

/** Each loop of the mnt_master relation once, naming its mounts in the order the chain visits them. */
function masterLoops(state: State): Violation[] {
  const violations: Violation[] = [];
  const done = new Set<MountId>();
  for (const start of Object.values(state.mounts)) {
    if (start.mnt_master === null || done.has(start.id)) continue;
    const path: MountId[] = [];
    const onPath = new Set<MountId>();
    let current: MountId | null = start.id;
    while (current !== null && !done.has(current) && !onPath.has(current)) {
      path.push(current);
      onPath.add(current);
      current = state.mounts[current]?.mnt_master ?? null;
    }
    if (current !== null && onPath.has(current)) {
      const loop = path.slice(path.indexOf(current));
      if (loop.length > 1) {
        violations.push({
          invariant: NAME,
          objects: loop.map((id) => ref('mount', id)),
          message: `mounts ${[...loop, current].join(' -> ')} are each other's masters in a loop: propagation through them never ends`,
        });
      }
    }
    for (const id of path) done.add(id);
  }
  return violations;
}

export const peerGroupsConsistent: Invariant = {
  name: NAME,
  guards:
    'propagate_mnt(), propagate_umount() and change_mnt_propagation() walk peer groups and slave lists and rely on every group having one master, on masters being live shared mounts, and on unmounted mounts receiving nothing',
  check: checkPeerGroups,
  reads: ['mounts'],
};
