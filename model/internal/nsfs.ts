// fs/nsfs.c and fs/libfs.c: the dentry of a namespace's nsfs inode, kept in the namespace's
// "stashed" pointer so that at most one is alive per namespace, and the loop rule for binding it.
import type { DentryId, MntNsId } from '../ids.js';
import { dentryId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState, State } from '../state.js';

/**
 * fs/libfs.c: path_from_stashed() for ns_get_path(): reuse the stashed dentry if it is alive
 * (stashed_dentry_get: lockref_get_not_dead), else create an inode and dentry, the inode taking a
 * namespace reference, and stash it. The caller owns the returned dentry reference.
 */
export function nsGetDentry(draft: DraftState, nsId: MntNsId, opts: ModelOptions): DentryId {
  const ns = draft.mntNamespaces[nsId];
  if (ns === undefined) throw new Error(`ns_get_path: no namespace ${nsId}`);
  if (ns.stashed !== null) {
    const stashed = draft.dentries[ns.stashed];
    if (stashed !== undefined && stashed.kind === 'nsfs' && stashed.d_count > 0) {
      stashed.d_count++;
      return stashed.id;
    }
    if (opts.bug === 'nsfs-prune-keeps-stash') {
      // Seeded bug (CVE-2018-5873 shape): the dead stashed dentry is reused as if alive, without
      // the namespace reference a new inode would take.
      draft.dentries[ns.stashed] = nsfsDentry(draft, ns.stashed, nsId, 1);
      return ns.stashed;
    }
  }
  const id = dentryId(draft.next.dentry++);
  draft.dentries[id] = nsfsDentry(draft, id, nsId, 1);
  ns.count++; // the new inode owns one namespace reference, dropped by nsfs_evict()
  ns.stashed = id;
  return id;
}

function nsfsDentry(draft: DraftState, id: DentryId, ns: MntNsId, count: number) {
  const nsfsSb = draft.mounts[draft.nsfsMnt]?.mnt_sb;
  if (nsfsSb === undefined) throw new Error('nsfs: no internal mount');
  return {
    kind: 'nsfs' as const,
    id,
    d_sb: nsfsSb,
    d_parent: null,
    d_name: `mnt:[${nsInum(ns)}]`,
    unlinked: false,
    ns,
    d_count: count,
    i_ino: nsInum(ns),
  };
}

/** ns.inum: the inode number shown for a namespace, stable for its lifetime. */
export function nsInum(ns: MntNsId): number {
  return 4026531840 + ns;
}

/** The namespace an nsfs dentry stands for, or null for any other dentry (is_mnt_ns_file()). */
export function mntNsOfDentry(state: State, dentry: DentryId): MntNsId | null {
  const found = state.dentries[dentry];
  return found !== undefined && found.kind === 'nsfs' ? found.ns : null;
}

/**
 * fs/namespace.c: mnt_ns_loop(). A namespace may only hold (bind-mount) the nsfs file of a
 * namespace with a strictly larger id. Since every "namespace A's mounts pin namespace B" edge then
 * goes from a smaller to a larger id, the pin graph can have no cycle, and every namespace can be
 * freed once its tasks, files and pinning mounts are gone. On 6.18 ids come from per-CPU batches,
 * so "larger" does not mean "created later": the model compares MntNamespace.seq, never ids.
 */
export function mntNsLoop(
  state: State,
  callerNs: MntNsId,
  target: MntNsId,
  opts: ModelOptions,
): boolean {
  const caller = state.mntNamespaces[callerNs];
  const pinned = state.mntNamespaces[target];
  if (caller === undefined || pinned === undefined) return true;
  if (opts.bug === 'mnt-ns-loop-off-by-one') return caller.seq > pinned.seq;
  return caller.seq >= pinned.seq;
}
