// The invariants of the mntput protocol, checked after every step.
import type { ProtocolInvariant } from '../../invariant.js';
import type { MntputState } from '../state.js';
import { finalPutSlow } from './final-put-slow.js';
import { noFreeWhileHeld } from './no-free-while-held.js';

export const MNTPUT_INVARIANTS: readonly ProtocolInvariant<MntputState>[] = [noFreeWhileHeld, finalPutSlow];
