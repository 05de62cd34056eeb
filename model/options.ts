// Options handed to the model. Seeded bugs are switched on here, never by editing model code; the
// registry that describes them (and names the invariant that must catch each) is
// properties/seeded-bugs.ts.

export const SEEDED_BUG_IDS = [
  'copy-mnt-ns-keeps-nsfs',
  'mnt-ns-loop-off-by-one',
  'umount-error-leaks-lookup-ref',
  'nsfs-prune-keeps-stash',
  'lazy-umount-frees-held-mounts',
  'deactivate-super-keeps-superblock',
  'dotdot-ignores-mount-root',
  'socket-release-leaks-inflight',
  'setns-keeps-old-root-ref',
  'umount-tree-keeps-mnt-ns',
  'fchdir-skips-directory-check',
  'pivot-root-skips-reachability',
  'move-into-own-subtree',
  'move-mount-skips-nsfs-check',
  'propagate-into-anon-ns',
  'mountpoint-put-frees-early',
  'remount-clears-locked-flags',
  'umount-root-skips-capability',
  'detach-mounts-disconnects-locked',
  'change-type-on-detached',
] as const;

export type SeededBugId = (typeof SEEDED_BUG_IDS)[number];

export interface ModelOptions {
  /** A deliberately broken variant of the model, for checking that the invariants can fire. */
  readonly bug?: SeededBugId;
}

export const DEFAULT_OPTIONS: ModelOptions = {};

export function isSeededBugId(name: string): name is SeededBugId {
  return (SEEDED_BUG_IDS as readonly string[]).includes(name);
}
