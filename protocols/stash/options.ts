// The seeded bugs of the stash protocol, each a branch in the reducer switched on by
// ProtocolOptions.bug.
export const STASH_BUG_IDS = [
  'dentry-free-skips-rcu',
  'd-prune-keeps-stash',
  'stash-plain-store',
  'lockref-plain-increment',
  'get-ignores-lockref-result',
  'lost-race-puts-data',
] as const;

export type StashBugId = (typeof STASH_BUG_IDS)[number];
