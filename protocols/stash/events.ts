// The atomic steps of ns_get_path() -> path_from_stashed() and of dput(), one event each, spelled
// as the kernel function or statement they are; each names its acting task. The RCU machinery's
// steps (a grace period ending, a callback running) are events of the RCU task.
import type { DentryId, InodeId, NsId } from './state.js';

export type StashEvent =
  /** stashed_dentry_get(), stash_dentry(): rcu_read_lock() */
  | { readonly type: 'rcu_read_lock'; readonly task: number; readonly ns: NsId; readonly in: 'stashed_dentry_get' | 'stash_dentry' }
  /** stashed_dentry_get(): dentry = rcu_dereference(*stashed) */
  | { readonly type: 'read_stashed'; readonly task: number; readonly ns: NsId }
  /** stashed_dentry_get(), stash_dentry(): lockref_get_not_dead(&dentry->d_lockref) */
  | { readonly type: 'lockref_get_not_dead'; readonly task: number; readonly ns: NsId; readonly dentry: DentryId; readonly in: 'stashed_dentry_get' | 'stash_dentry' }
  /** rcu_read_unlock() at the end of the read section */
  | { readonly type: 'rcu_read_unlock'; readonly task: number; readonly ns: NsId; readonly in: 'stashed_dentry_get' | 'stash_dentry' }
  /** path_from_stashed(): sops->put_data(data), the namespace reference ns_get_path() took */
  | { readonly type: 'put_data'; readonly task: number; readonly ns: NsId }
  /** prepare_anon_dentry(): d_alloc_anon() and new_inode_pseudo(); the inode owns the reference */
  | { readonly type: 'prepare_anon_dentry'; readonly task: number; readonly ns: NsId }
  /** stash_dentry(): old = cmpxchg(stashed, NULL, dentry) */
  | { readonly type: 'cmpxchg'; readonly task: number; readonly ns: NsId; readonly dentry: DentryId }
  /** stash_dentry(): try_cmpxchg(stashed, &old, dentry), taking over a dead dentry */
  | { readonly type: 'try_cmpxchg'; readonly task: number; readonly ns: NsId; readonly old: DentryId; readonly dentry: DentryId }
  /** dput(): lockref_put_return(); at zero __dentry_kill(): lockref_mark_dead() and ->d_prune() */
  | { readonly type: 'dput'; readonly task: number; readonly dentry: DentryId }
  /** __dentry_kill() -> dentry_unlink_inode() -> iput() -> nsfs_evict(): the namespace put */
  | { readonly type: 'evict'; readonly task: number; readonly dentry: DentryId; readonly inode: InodeId }
  /** __dentry_kill() -> dentry_free(): call_rcu(&dentry->d_u.d_rcu, __d_free) */
  | { readonly type: 'dentry_free'; readonly task: number; readonly dentry: DentryId }
  /** The grace period ends for the callbacks queued before every read section still open. */
  | { readonly type: 'rcu_grace_period'; readonly task: number }
  /** rcu_do_batch(): __d_free(dentry), the memory goes back to the allocator */
  | { readonly type: 'rcu_do_batch'; readonly task: number; readonly dentry: DentryId }
  /** The task's program has ended (or the RCU machinery has nothing to do). */
  | { readonly type: 'idle'; readonly task: number };

export type StashEventType = StashEvent['type'];
