// The namespace reference an nsfs inode owns is dropped exactly once, by nsfs_evict(); the
// namespace's count is its own reference plus one per task holding ns_get_path()'s reference and
// one per inode not yet evicted.
import type { ProtocolInvariant, ProtocolViolation } from '../../invariant.js';
import { objectRef } from '../../invariant.js';
import type { StashState } from '../state.js';
import { NS_BASE_REFS } from '../state.js';

export const inodeNsRefDroppedOnce: ProtocolInvariant<StashState> = {
  name: 'inode-ns-ref-dropped-once',
  guards: 'a namespace is freed at its last put: a put too many frees it under its other users, one too few leaks it',
  check(state) {
    const violations: ProtocolViolation[] = [];
    for (const inode of Object.values(state.inodes)) {
      const expected = inode.evicted ? 1 : 0;
      if (inode.nsPuts !== expected) {
        violations.push({
          invariant: 'inode-ns-ref-dropped-once',
          objects: [objectRef('inode', inode.id), objectRef('mnt_namespace', inode.i_private)],
          message: `the reference to ns ${inode.i_private} that inode ${inode.id} owns was dropped ${inode.nsPuts} time(s) ${inode.evicted ? 'by the time it was evicted' : 'before the inode was evicted'}`,
        });
      }
    }
    for (const ns of Object.values(state.namespaces)) {
      const tasks = Object.values(state.tasks).filter((task) => task.ns === ns.id && task.holdsNsRef).length;
      const inodes = Object.values(state.inodes).filter((inode) => inode.i_private === ns.id && inode.nsPuts === 0).length;
      const expected = NS_BASE_REFS + tasks + inodes;
      if (ns.count !== expected) {
        violations.push({
          invariant: 'inode-ns-ref-dropped-once',
          objects: [objectRef('mnt_namespace', ns.id)],
          message: `ns ${ns.id} count is ${ns.count} but ${expected} references exist (its own, ${tasks} task(s), ${inodes} inode(s))`,
        });
      }
    }
    return violations;
  },
};
