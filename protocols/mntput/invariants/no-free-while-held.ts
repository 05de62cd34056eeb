// No mount is torn down while a reference to it is held: whoever holds one will dereference the
// mount (and its root dentry and superblock) after they are gone.
import type { ProtocolInvariant, ProtocolViolation } from '../../invariant.js';
import { objectRef } from '../../invariant.js';
import type { MntputState } from '../state.js';
import { MOUNT } from '../state.js';

export const noFreeWhileHeld: ProtocolInvariant<MntputState> = {
  name: 'no-mount-freed-while-held',
  guards: 'mntput_no_expire() frees at count zero, which is only safe if every holder is counted',
  check(state) {
    if (!state.mount.freed) return [];
    const holders = Object.values(state.tasks).filter((task) => task.holds);
    const violations: ProtocolViolation[] = [];
    if (state.mount.mnt_count !== 0 || holders.length > 0) {
      violations.push({
        invariant: 'no-mount-freed-while-held',
        objects: [objectRef('mount', MOUNT), ...holders.map((task) => objectRef('task', task.id))],
        message: `mount ${MOUNT} was freed with count ${state.mount.mnt_count}${holders.length > 0 ? `, still referenced by ${holders.map((task) => `task ${task.id}`).join(', ')}` : ''}`,
      });
    }
    return violations;
  },
};
