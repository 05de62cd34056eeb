// The invariants of the stash protocol, checked after every step.
import type { ProtocolInvariant } from '../../invariant.js';
import type { StashState } from '../state.js';
import { getReturnsLiveDentry } from './get-returns-live-dentry.js';
import { inodeNsRefDroppedOnce } from './inode-ns-ref-dropped-once.js';
import { noFreeUnderRcuReader } from './no-free-under-rcu-reader.js';
import { noRefOnDeadDentry } from './no-ref-on-dead-dentry.js';
import { oneLiveDentryPerNs } from './one-live-dentry-per-ns.js';

export const STASH_INVARIANTS: readonly ProtocolInvariant<StashState>[] = [
  oneLiveDentryPerNs,
  noRefOnDeadDentry,
  noFreeUnderRcuReader,
  inodeNsRefDroppedOnce,
  getReturnsLiveDentry,
];
