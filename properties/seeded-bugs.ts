// The registry of seeded bugs: deliberately broken variants of the model, switched on through
// ModelOptions.bug (the model's code has a branch at each place, never an edit), each naming the
// invariant that must catch it. `mntns mutants` and the test suite check that every one is found
// by the default budget of `mntns check`.
import type { SeededBugId } from '../model/index.js';
import { SEEDED_BUG_IDS } from '../model/index.js';

export interface SeededBug {
  readonly id: SeededBugId;
  /** The invariant that must fire on the shrunk counterexample. */
  readonly invariant: string;
  readonly summary: string;
  /** The historical kernel bug it reproduces, where there is one (../shared/docs/kernel-bugs.md). */
  readonly history: string | null;
}

export const SEEDED_BUGS: readonly SeededBug[] = [
  {
    id: 'copy-mnt-ns-keeps-nsfs',
    invariant: 'no-mnt-ns-loop',
    summary: 'copy_mnt_ns() copies nsfs bind mounts into the new namespace (no CL_COPY_MNT_NS_FILE check)',
    history: 'K01: fixed by 4ce5d2b1a8fd "vfs: Don\'t copy mount bind mounts of /proc/<pid>/ns/mnt between namespaces" (v3.12)',
  },
  {
    id: 'mnt-ns-loop-off-by-one',
    invariant: 'no-mnt-ns-loop',
    summary: 'mnt_ns_loop() compares with > instead of >=, so a namespace may bind its own nsfs file',
    history: 'K02: the rule of 8823c079ba71 "vfs: Add setns support for the mount namespace" (v3.8)',
  },
  {
    id: 'umount-error-leaks-lookup-ref',
    invariant: 'refcounts-sound',
    summary: 'a failing umount2() returns without dropping the mount reference its path lookup took',
    history: 'K07: CVE-2014-5045, fixed by 295dc39d941d "fs: umount on symlink leaks mnt count" (v3.16)',
  },
  {
    id: 'nsfs-prune-keeps-stash',
    invariant: 'no-use-after-free',
    summary: "the nsfs dentry's ->d_prune does not clear the namespace's stashed pointer",
    history: 'K09: CVE-2018-5873 shape, fixed by 073c516ff735 "nsfs: mark dentry with DCACHE_RCUACCESS" (v4.11)',
  },
  {
    id: 'lazy-umount-frees-held-mounts',
    invariant: 'no-use-after-free',
    summary: 'umount2(MNT_DETACH) frees the detached mounts even while an fd or cwd still holds them',
    history: null,
  },
  {
    id: 'deactivate-super-keeps-superblock',
    invariant: 'no-leak',
    summary: 'deactivate_super() does not shut the filesystem down when s_active reaches zero',
    history: null,
  },
  {
    id: 'dotdot-ignores-mount-root',
    invariant: 'mount-tree-well-formed',
    summary:
      'follow_dotdot() takes the parent dentry at a mount root instead of climbing to the mountpoint, so ".." escapes a bind mount',
    history: null,
  },
  {
    id: 'socket-release-leaks-inflight',
    invariant: 'refcounts-sound',
    summary: 'releasing a socket does not drop the files still in flight on its receive queue',
    history: null,
  },
  {
    id: 'setns-keeps-old-root-ref',
    invariant: 'refcounts-sound',
    summary: 'mntns_install() installs the new root without dropping the reference on the old one',
    history: null,
  },
  {
    id: 'umount-tree-keeps-mnt-ns',
    invariant: 'mount-tree-well-formed',
    summary: 'umount_tree() disconnects a lazily unmounted mount but leaves it counted in its namespace',
    history: null,
  },
  {
    id: 'fchdir-skips-directory-check',
    invariant: 'task-paths-valid',
    summary: 'fchdir() omits its d_can_lookup() test, so a cwd can be a regular or nsfs file',
    history: null,
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
