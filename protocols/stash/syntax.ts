// How the stash protocol's steps are written in traces and summaries: the kernel function each
// step is in and the statement it runs (protocols/syntax.ts makes printer, parser and schema of it).
import type { EventSyntax } from '../syntax.js';
import type { StashEvent } from './events.js';

const IN = { kind: 'enum', spelling: { stashed_dentry_get: 'stashed_dentry_get', stash_dentry: 'stash_dentry' } } as const;
const ID = { kind: 'id' } as const;

export const STASH_SYNTAX: EventSyntax<StashEvent> = {
  templates: {
    rcu_read_lock: '{in}(ns {ns}): rcu_read_lock()',
    read_stashed: 'stashed_dentry_get(ns {ns}): dentry = ns->stashed',
    lockref_get_not_dead: '{in}(ns {ns}): lockref_get_not_dead(dentry {dentry})',
    rcu_read_unlock: '{in}(ns {ns}): rcu_read_unlock()',
    put_data: 'path_from_stashed(ns {ns}): sops->put_data(ns {ns})',
    prepare_anon_dentry: 'path_from_stashed(ns {ns}): prepare_anon_dentry()',
    cmpxchg: 'stash_dentry(ns {ns}): old = cmpxchg(ns->stashed, NULL, dentry {dentry})',
    try_cmpxchg: 'stash_dentry(ns {ns}): try_cmpxchg(ns->stashed, dentry {old}, dentry {dentry})',
    dput: 'dput(dentry {dentry})',
    evict: '__dentry_kill(dentry {dentry}): iput -> nsfs_evict(inode {inode})',
    dentry_free: '__dentry_kill(dentry {dentry}): dentry_free()',
    rcu_grace_period: 'grace period',
    rcu_do_batch: 'rcu_do_batch(): __d_free(dentry {dentry})',
    idle: 'idle',
  },
  fields: { in: IN, ns: ID, dentry: ID, old: ID, inode: ID },
};
