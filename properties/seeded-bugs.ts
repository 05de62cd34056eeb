// The registry of seeded bugs: deliberately broken variants of the model, switched on through
// ModelOptions.bug (the model's code has a branch at each place, never an edit), each naming the
// invariant that must catch it. `mntns mutants` and the test suite check that every one is found
// by the default budget of `mntns check`.
import type { Event, SeededBugId, TaskId } from '../model/index.js';
import { SEEDED_BUG_IDS } from '../model/index.js';

export interface SeededBug {
  readonly id: SeededBugId;
  /** The invariant that must fire on the shrunk counterexample. */
  readonly invariant: string;
  readonly summary: string;
  /** The historical kernel bug it reproduces, where there is one (../shared/docs/kernel-bugs.md). */
  readonly history: string | null;
  /**
   * The length of the shortest trace known to break the invariant: what the 1-minimal shrinking of
   * traces/shrink.ts reaches from the counterexample mntns check finds with the default budget (or
   * from the directed trace). A test asserts that shrinking reaches it.
   */
  readonly minimalLength: number;
  /**
   * For a bug the default random budget does not reach: the historical reproducer, which must
   * break the named invariant on the broken model and hold on the correct one. `mntns mutants`
   * and the tests run it when the budget finds nothing; the report says which found the bug.
   */
  readonly directed?: { readonly events: readonly Event[]; readonly why: string };
}

const INIT = 1 as TaskId;
const CHILD = 2 as TaskId;

export const SEEDED_BUGS: readonly SeededBug[] = [
  {
    id: 'copy-mnt-ns-keeps-nsfs',
    minimalLength: 4,
    invariant: 'no-mnt-ns-loop',
    summary: 'copy_mnt_ns() copies nsfs bind mounts into the new namespace (no CL_COPY_MNT_NS_FILE check)',
    history: 'K01: fixed by 4ce5d2b1a8fd "vfs: Don\'t copy mount bind mounts of /proc/<pid>/ns/mnt between namespaces" (v3.12)',
  },
  {
    id: 'mnt-ns-loop-off-by-one',
    minimalLength: 2,
    invariant: 'no-mnt-ns-loop',
    summary: 'mnt_ns_loop() compares with > instead of >=, so a namespace may bind its own nsfs file',
    history: 'K02: the rule of 8823c079ba71 "vfs: Add setns support for the mount namespace" (v3.8)',
  },
  {
    id: 'umount-error-leaks-lookup-ref',
    minimalLength: 1,
    invariant: 'refcounts-sound',
    summary: 'a failing umount2() returns without dropping the mount reference its path lookup took',
    history: 'K07: CVE-2014-5045, fixed by 295dc39d941d "fs: umount on symlink leaks mnt count" (v3.16)',
  },
  {
    id: 'nsfs-prune-keeps-stash',
    minimalLength: 2,
    invariant: 'no-use-after-free',
    summary: "the nsfs dentry's ->d_prune does not clear the namespace's stashed pointer",
    history: 'K09: CVE-2018-5873 shape, fixed by 073c516ff735 "nsfs: mark dentry with DCACHE_RCUACCESS" (v4.11)',
  },
  {
    id: 'lazy-umount-frees-held-mounts',
    minimalLength: 1,
    invariant: 'no-use-after-free',
    summary: 'umount2(MNT_DETACH) frees the detached mounts even while an fd or cwd still holds them',
    history: null,
  },
  {
    id: 'deactivate-super-keeps-superblock',
    minimalLength: 1,
    invariant: 'no-leak',
    summary: 'deactivate_super() does not shut the filesystem down when s_active reaches zero',
    history: null,
  },
  {
    id: 'dotdot-ignores-mount-root',
    minimalLength: 2,
    invariant: 'mount-tree-well-formed',
    summary:
      'follow_dotdot() takes the parent dentry at a mount root instead of climbing to the mountpoint, so ".." escapes a bind mount',
    history: null,
  },
  {
    id: 'socket-release-leaks-inflight',
    minimalLength: 3,
    invariant: 'refcounts-sound',
    summary: 'releasing a socket does not drop the files still in flight on its receive queue',
    history: null,
  },
  {
    id: 'setns-keeps-old-root-ref',
    minimalLength: 2,
    invariant: 'refcounts-sound',
    summary: 'mntns_install() installs the new root without dropping the reference on the old one',
    history: null,
  },
  {
    id: 'umount-tree-keeps-mnt-ns',
    minimalLength: 1,
    invariant: 'mount-tree-well-formed',
    summary: 'umount_tree() disconnects a lazily unmounted mount but leaves it counted in its namespace',
    history: null,
  },
  {
    id: 'fchdir-skips-directory-check',
    minimalLength: 2,
    invariant: 'task-paths-valid',
    summary: 'fchdir() omits its d_can_lookup() test, so a cwd can be a regular or nsfs file',
    history: null,
  },
  {
    id: 'pivot-root-skips-reachability',
    minimalLength: 3,
    invariant: 'mount-tree-well-formed',
    summary: 'pivot_root() omits its "new_root is reachable from the current root" test, so it can hang a mount under its own descendant',
    history: 'K04: CVE-2014-7970, fixed by 0d0826019e52 "mnt: Prevent pivot_root from creating a loop in the mount tree" (v3.18)',
  },
  {
    id: 'move-into-own-subtree',
    minimalLength: 1,
    invariant: 'mount-tree-well-formed',
    summary: 'do_move_mount() omits mount_is_ancestor(), so a mount can be moved below itself',
    history: 'K05: the ELOOP guard of do_move_mount() (and its 6.15 anonymous-tree counterpart)',
  },
  {
    id: 'move-mount-skips-nsfs-check',
    minimalLength: 3,
    invariant: 'no-mnt-ns-loop',
    summary: 'do_move_mount() omits check_for_nsfs_mounts(), so a detached tree carrying an nsfs mount can be attached in the namespace it pins',
    history: 'K03: the guard added with move_mount(2) and open_tree(2) in v5.2',
  },
  {
    id: 'propagate-into-anon-ns',
    minimalLength: 3,
    invariant: 'propagation-exact',
    summary: 'need_secondary() does not skip anonymous namespaces, so a detached tree receives propagated copies',
    history: 'K10: fixed by 3b5260d12b1f "Don\'t propagate mounts into detached trees" (v6.16)',
  },
  {
    id: 'mountpoint-put-frees-early',
    minimalLength: 2,
    invariant: 'no-use-after-free',
    summary: 'put_mountpoint() frees the struct mountpoint at the first put, while other mounts still sit on the dentry',
    history: 'K08: CVE-2020-12114 shape, fixed by 4edbe133f851 "make struct mountpoint bear the dentry reference to mountpoint" (v5.3)',
  },
  {
    id: 'remount-clears-locked-flags',
    minimalLength: 3,
    invariant: 'locks-hold',
    summary: 'can_change_locked_flags() always allows the change, so a remount clears flags a more privileged namespace locked',
    history: 'K11: CVE-2014-5206/5207, fixed by a6138db815df and 9566d6742852 (v3.17)',
  },
  {
    id: 'umount-root-skips-capability',
    minimalLength: 4,
    invariant: 'privileges-respected',
    directed: {
      why: 'needs one unprivileged task to unshare a user and mount namespace, bind, chroot into the bind and umount its root: four dependent steps',
      events: [
        { type: 'capset', task: INIT, effective: [] },
        { type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
        { type: 'mount', task: INIT, source: '/tmp', target: '/mnt', fstype: null, flags: ['MS_BIND'] },
        { type: 'chroot', task: INIT, path: '/mnt' },
        { type: 'umount2', task: INIT, target: '/', flags: [] },
      ],
    },
    summary: 'do_umount() remounts the caller\'s root read-only without checking CAP_SYS_ADMIN over its superblock\'s user namespace',
    history: 'K12: CVE-2014-7975, fixed by a1480dcc3c70 "fs: Add a missing permission check to do_umount" (v3.18)',
  },
  {
    id: 'detach-mounts-disconnects-locked',
    minimalLength: 9,
    invariant: 'locks-hold',
    directed: {
      why: 'needs a nested mount copied into a user namespace, both copies held by the other task, then a lazy umount and an rmdir in the first namespace: about ten dependent steps',
      events: [
        { type: 'mkdir', task: INIT, path: '/mnt/a' },
        { type: 'mount', task: INIT, source: 'none', target: '/mnt/a', fstype: 'tmpfs', flags: [] },
        { type: 'mkdir', task: INIT, path: '/mnt/a/b' },
        { type: 'mount', task: INIT, source: 'none', target: '/mnt/a/b', fstype: 'tmpfs', flags: [] },
        { type: 'clone', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
        { type: 'chdir', task: CHILD, path: '/mnt/a' },
        { type: 'open', task: CHILD, path: '/mnt/a/b', flags: ['O_PATH'] },
        { type: 'umount2', task: INIT, target: '/mnt/a', flags: ['MNT_DETACH'] },
        { type: 'rmdir', task: INIT, path: '/mnt/a' },
      ],
    },
    summary: '__detach_mounts() unmounts without UMOUNT_CONNECTED, so locked children are separated from their parent',
    history: 'K14: CVE-2014-9717/CVE-2015-4176, fixed by e0c9c0afd2fc "mnt: Update detach_mounts to leave mounts connected" (v4.1)',
  },
  {
    id: 'change-type-on-detached',
    minimalLength: 2,
    invariant: 'peer-groups-consistent',
    summary: 'do_change_type() accepts a mount that is in no namespace, so a lazily unmounted mount joins a peer group',
    history: 'K15: CVE-2025-38498, fixed by 12f147ddd6de "do_change_type(): refuse to operate on unmounted/not ours mounts" (v6.16)',
  },
];

export function seededBug(id: SeededBugId): SeededBug {
  const bug = SEEDED_BUGS.find((candidate) => candidate.id === id);
  if (bug === undefined) throw new Error(`no seeded bug ${id}`);
  return bug;
}

// Every id the model knows is described here, and nothing else.
if (SEEDED_BUGS.length !== SEEDED_BUG_IDS.length) {
  throw new Error('properties/seeded-bugs.ts and model/options.ts list different seeded bugs');
}
