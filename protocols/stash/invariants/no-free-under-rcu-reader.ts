// No dentry's memory is freed while it is referenced, or while a task that could have read its
// pointer from ns->stashed is still inside that read section: such a task may be about to call
// lockref_get_not_dead() on it (CVE-2018-5873).
import type { ProtocolInvariant, ProtocolViolation } from '../../invariant.js';
import { objectRef } from '../../invariant.js';
import type { StashState } from '../state.js';

export const noFreeUnderRcuReader: ProtocolInvariant<StashState> = {
  name: 'no-free-under-rcu-reader',
  guards: 'dentry_free() defers __d_free() by call_rcu(), so readers of ns->stashed under rcu_read_lock() never touch freed memory',
  check(state) {
    const violations: ProtocolViolation[] = [];
    for (const dentry of Object.values(state.dentries)) {
      if (dentry.memory !== 'freed') continue;
      if (dentry.d_lockref.count > 0) {
        violations.push({
          invariant: 'no-free-under-rcu-reader',
          objects: [objectRef('dentry', dentry.id)],
          message: `dentry ${dentry.id} was freed with ${dentry.d_lockref.count} reference(s) held`,
        });
      }
      if (dentry.publishedAt === null) continue;
      const unpublished = dentry.unpublishedAt;
      // a reader of this namespace's stash whose read section overlaps the time the dentry was
      // stashed could have seen it
      const readers = Object.values(state.tasks).filter(
        (task) => task.ns === dentry.ns && task.rcuSince !== null && (unpublished === null || task.rcuSince < unpublished),
      );
      if (readers.length > 0) {
        violations.push({
          invariant: 'no-free-under-rcu-reader',
          objects: [objectRef('dentry', dentry.id), ...readers.map((task) => objectRef('task', task.id))],
          message: `dentry ${dentry.id} was freed while ${readers.map((task) => `task ${task.id}`).join(', ')}, inside an RCU read section open while ns ${dentry.ns}->stashed ${unpublished === null ? 'still points at it' : 'pointed at it'}, could still use it`,
        });
      }
    }
    return violations;
  },
};
