// The registry of the protocol models' seeded bugs: deliberately broken variants switched on
// through ProtocolOptions.bug, each naming the invariant that must catch it and the length of the
// interleaving the default check shrinks it to. The tests assert both.
import type { MntputBugId } from './mntput/index.js';
import type { StashBugId } from './stash/index.js';

export interface ProtocolSeededBug {
  readonly protocol: 'nsfs-stash' | 'mntput-fast-path';
  readonly id: StashBugId | MntputBugId;
  /** The invariant that must fire on the shrunk interleaving. */
  readonly invariant: string;
  /** Steps in the interleaving the default check (seed and budget) shrinks it to. */
  readonly minimalSteps: number;
  /**
   * Steps in the shortest interleaving breaking any invariant, by breadth-first search over all
   * of them (explore.ts); shrinking reaches it but for one bug, whose shortest breaks another.
   */
  readonly shortestSteps: number;
  readonly summary: string;
  /** The historical kernel bug it reproduces, where there is one (../shared/docs/kernel-bugs.md). */
  readonly history: string | null;
}

export const PROTOCOL_SEEDED_BUGS: readonly ProtocolSeededBug[] = [
  {
    protocol: 'nsfs-stash',
    id: 'dentry-free-skips-rcu',
    invariant: 'no-free-under-rcu-reader',
    minimalSteps: 11,
    shortestSteps: 11,
    summary: "dentry_free() frees the nsfs dentry at once instead of by call_rcu(), under a reader that has just read ns->stashed",
    history: 'K09: CVE-2018-5873, fixed by 073c516ff735 "nsfs: mark dentry with DCACHE_RCUACCESS" (v4.11)',
  },
  {
    protocol: 'nsfs-stash',
    id: 'd-prune-keeps-stash',
    invariant: 'no-free-under-rcu-reader',
    minimalSteps: 13,
    shortestSteps: 13,
    summary: "stashed_dentry_prune() does not clear ns->stashed, so readers still find the dentry after its grace period",
    history: 'the sequential shape of K09 (the syscall model\'s nsfs-prune-keeps-stash)',
  },
  {
    protocol: 'nsfs-stash',
    id: 'stash-plain-store',
    invariant: 'one-live-dentry-per-ns',
    minimalSteps: 12,
    shortestSteps: 12,
    summary: 'stash_dentry() stores its dentry with a plain store instead of cmpxchg(), so two racing opens make two dentries for one namespace',
    history: null,
  },
  {
    protocol: 'nsfs-stash',
    id: 'lockref-plain-increment',
    invariant: 'no-ref-on-dead-dentry',
    minimalSteps: 11,
    shortestSteps: 11,
    summary: 'the stashed dentry is taken with a plain d_count increment instead of lockref_get_not_dead(), reviving a dentry dput() has killed',
    history: null,
  },
  {
    protocol: 'nsfs-stash',
    id: 'get-ignores-lockref-result',
    invariant: 'get-returns-live-dentry',
    minimalSteps: 12,
    shortestSteps: 12,
    summary: 'stashed_dentry_get() returns the dentry even when lockref_get_not_dead() failed',
    history: null,
  },
  {
    protocol: 'nsfs-stash',
    id: 'lost-race-puts-data',
    invariant: 'inode-ns-ref-dropped-once',
    minimalSteps: 15,
    shortestSteps: 15,
    summary: 'path_from_stashed() on a lost cmpxchg race calls put_data() as well as dput() of its dentry, dropping the reference its inode owns twice',
    history: null,
  },
  {
    protocol: 'mntput-fast-path',
    id: 'umount-skips-grace-period',
    invariant: 'no-mount-freed-while-held',
    minimalSteps: 9,
    shortestSteps: 9,
    summary: "namespace_unlock() puts the unmounted tree's reference without synchronize_rcu(), under an RCU path walk about to take a reference",
    history: null,
  },
  {
    protocol: 'mntput-fast-path',
    id: 'umount-waits-before-clear',
    invariant: 'final-put-takes-slow-path',
    minimalSteps: 13,
    shortestSteps: 11,
    summary: 'umount waits for the grace period before clearing mnt_ns instead of after, so a mntput() that saw mnt_ns set drops the last reference on the fast path',
    history: null,
  },
  {
    protocol: 'mntput-fast-path',
    id: 'mntput-reads-mnt-ns-outside-rcu',
    invariant: 'final-put-takes-slow-path',
    minimalSteps: 13,
    shortestSteps: 13,
    summary: "mntput_no_expire() reads mnt_ns before rcu_read_lock(), so umount's grace period does not wait for it",
    history: null,
  },
];
