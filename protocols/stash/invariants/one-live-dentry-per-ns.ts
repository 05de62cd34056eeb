// At most one live dentry of a namespace is in use: the one stashed and handed out. A second live
// one (two tasks each stashing their own) means two inodes for one namespace, so the
// namespace's files no longer compare equal and its reference is split between them.
import type { ProtocolInvariant, ProtocolViolation } from '../../invariant.js';
import { objectRef } from '../../invariant.js';
import type { DentryId, StashState } from '../state.js';

export const oneLiveDentryPerNs: ProtocolInvariant<StashState> = {
  name: 'one-live-dentry-per-ns',
  guards: 'path_from_stashed() hands every opener of a namespace the same dentry, so nsfs files of one namespace are one inode',
  check(state) {
    const violations: ProtocolViolation[] = [];
    for (const ns of Object.values(state.namespaces)) {
      const inUse = new Set<DentryId>();
      if (ns.stashed !== null) inUse.add(ns.stashed);
      for (const task of Object.values(state.tasks)) {
        if (task.got !== null) inUse.add(task.got);
        if (task.res !== null) inUse.add(task.res);
      }
      const live = [...inUse].filter((id) => {
        const dentry = state.dentries[id];
        return dentry !== undefined && dentry.ns === ns.id && dentry.memory === 'allocated' && !dentry.d_lockref.dead;
      });
      if (live.length > 1) {
        violations.push({
          invariant: 'one-live-dentry-per-ns',
          objects: [objectRef('mnt_namespace', ns.id), ...live.map((id) => objectRef('dentry', id))],
          message: `namespace ${ns.id} has ${live.length} live dentries in use (${live.map((id) => `dentry ${id}`).join(', ')}); ns->stashed is ${ns.stashed === null ? 'NULL' : `dentry ${ns.stashed}`}`,
        });
      }
    }
    return violations;
  },
};
