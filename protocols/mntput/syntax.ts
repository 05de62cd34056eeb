// How the mntput protocol's steps are written in traces and summaries: the kernel function each
// step is in and the statement it runs (protocols/syntax.ts makes printer, parser and schema of it).
import type { EventSyntax } from '../syntax.js';
import type { MntputEvent } from './events.js';

const IN = { kind: 'enum', spelling: { rcu_walk: 'path walk', mntput: 'mntput_no_expire(mount 1)' } } as const;

export const MNTPUT_SYNTAX: EventSyntax<MntputEvent> = {
  templates: {
    rcu_read_lock: '{in}: rcu_read_lock()',
    lookup_mnt: 'path walk: __lookup_mnt()',
    legitimize_mnt: 'path walk: __legitimize_mnt(mount 1): mnt_add_count(+1)',
    rcu_read_unlock: '{in}: rcu_read_unlock()',
    read_mnt_ns: 'mntput_no_expire(mount 1): READ_ONCE(mnt->mnt_ns)',
    mnt_add_count_fast: 'mntput_no_expire(mount 1): mnt_add_count(-1)',
    mntput_slow: 'mntput_no_expire(mount 1): mnt_add_count(-1); mnt_get_count()',
    cleanup_mnt: 'cleanup_mnt(mount 1)',
    umount_tree: 'umount_tree(mount 1)',
    synchronize_rcu_start: 'namespace_unlock(): synchronize_rcu()',
    synchronize_rcu_wait: 'namespace_unlock(): synchronize_rcu() waits',
    idle: 'idle',
  },
  fields: { in: IN },
};
