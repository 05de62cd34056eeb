// A successful get returns a live dentry of the namespace asked for, with a reference the caller
// owns: anything else hands user space a file whose inode is dying or belongs to another namespace.
import type { ProtocolInvariant, ProtocolViolation } from '../../invariant.js';
import { objectRef } from '../../invariant.js';
import type { StashState } from '../state.js';

export const getReturnsLiveDentry: ProtocolInvariant<StashState> = {
  name: 'get-returns-live-dentry',
  guards: 'ns_get_path() must return a path whose dentry stays valid until the caller drops it',
  check(state) {
    const violations: ProtocolViolation[] = [];
    for (const task of Object.values(state.tasks)) {
      if (task.got === null) continue;
      const dentry = state.dentries[task.got];
      const problem =
        dentry === undefined
          ? 'does not exist'
          : dentry.memory === 'freed'
            ? 'is freed memory'
            : dentry.d_lockref.dead
              ? 'is dead'
              : dentry.ns !== task.ns
                ? `belongs to ns ${dentry.ns}`
                : dentry.d_lockref.count < 1
                  ? 'holds no reference'
                  : null;
      if (problem !== null) {
        violations.push({
          invariant: 'get-returns-live-dentry',
          objects: [objectRef('task', task.id), objectRef('dentry', task.got)],
          message: `task ${task.id}'s get of ns ${task.ns} returned dentry ${task.got}, which ${problem}`,
        });
      }
    }
    return violations;
  },
};
