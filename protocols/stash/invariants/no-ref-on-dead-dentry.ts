// No reference is ever taken on a dead dentry: once __dentry_kill() has marked the lockref dead
// the dentry is on its way to being freed, and a reference taken now outlives its memory.
import type { ProtocolInvariant, ProtocolViolation } from '../../invariant.js';
import { objectRef } from '../../invariant.js';
import type { StashState } from '../state.js';

export const noRefOnDeadDentry: ProtocolInvariant<StashState> = {
  name: 'no-ref-on-dead-dentry',
  guards: 'lockref_get_not_dead() is what makes a pointer read under RCU safe to turn into a reference',
  check(state) {
    const violations: ProtocolViolation[] = [];
    for (const dentry of Object.values(state.dentries)) {
      if ((dentry.d_lockref.dead || dentry.memory === 'freed') && dentry.d_lockref.count > 0) {
        violations.push({
          invariant: 'no-ref-on-dead-dentry',
          objects: [objectRef('dentry', dentry.id)],
          message: `dentry ${dentry.id} is ${dentry.memory === 'freed' ? 'freed' : 'dead'} but its lockref count is ${dentry.d_lockref.count}: a reference was taken after __dentry_kill() marked it dead`,
        });
      }
    }
    return violations;
  },
};
