// The seeded bugs of the mntput protocol, each a branch in the reducer switched on by
// ProtocolOptions.bug.
export const MNTPUT_BUG_IDS = ['umount-skips-grace-period', 'umount-waits-before-clear', 'mntput-reads-mnt-ns-outside-rcu'] as const;

export type MntputBugId = (typeof MNTPUT_BUG_IDS)[number];
