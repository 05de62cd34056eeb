// The final reference always takes mntput_no_expire()'s slow path: only the slow path tests for
// zero and frees; a fast-path decrement to zero leaves a mount nobody will ever free.
import type { ProtocolInvariant } from '../../invariant.js';
import { objectRef } from '../../invariant.js';
import type { MntputState } from '../state.js';
import { MOUNT } from '../state.js';

export const finalPutSlow: ProtocolInvariant<MntputState> = {
  name: 'final-put-takes-slow-path',
  guards: 'the fast path skips the zero test because mnt_ns seen set under RCU means another reference outlives this one',
  check(state) {
    const final = state.mount.finalPut;
    if (final === null || final.path !== 'fast') return [];
    return [
      {
        invariant: 'final-put-takes-slow-path',
        objects: [objectRef('mount', MOUNT), objectRef('task', final.task)],
        message: `task ${final.task} dropped the last reference to mount ${MOUNT} on the fast path (it saw mnt_ns set): the count is 0 and nothing will free it`,
      },
    ];
  },
};
