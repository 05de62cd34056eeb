// The atomic steps of an RCU path walk that takes a mount reference, of mntput_no_expire(), and of
// umount (umount_tree() and namespace_unlock()), one event each; each names its acting task.
export type MntputEvent =
  | { readonly type: 'rcu_read_lock'; readonly task: number; readonly in: 'rcu_walk' | 'mntput' }
  /** __lookup_mnt() in the mount hash, under RCU */
  | { readonly type: 'lookup_mnt'; readonly task: number }
  /** __legitimize_mnt(): mnt_add_count(mnt, 1) */
  | { readonly type: 'legitimize_mnt'; readonly task: number }
  | { readonly type: 'rcu_read_unlock'; readonly task: number; readonly in: 'rcu_walk' | 'mntput' }
  /** mntput_no_expire(): READ_ONCE(mnt->mnt_ns) */
  | { readonly type: 'read_mnt_ns'; readonly task: number }
  /** mntput_no_expire() fast path: mnt_add_count(mnt, -1), no test of zero */
  | { readonly type: 'mnt_add_count_fast'; readonly task: number }
  /** mntput_no_expire() slow path, under lock_mount_hash(): decrement, mnt_get_count(), MNT_DOOMED */
  | { readonly type: 'mntput_slow'; readonly task: number }
  /** cleanup_mnt(): the mount is torn down */
  | { readonly type: 'cleanup_mnt'; readonly task: number }
  /** umount_tree() under lock_mount_hash(): unhash the mount, mnt->mnt_ns = NULL */
  | { readonly type: 'umount_tree'; readonly task: number }
  /** namespace_unlock(): synchronize_rcu() begins a grace period... */
  | { readonly type: 'synchronize_rcu_start'; readonly task: number }
  /** ...and returns once every read section begun before it has ended */
  | { readonly type: 'synchronize_rcu_wait'; readonly task: number }
  | { readonly type: 'idle'; readonly task: number };
