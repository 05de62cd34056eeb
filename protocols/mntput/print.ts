// One line per step: `[task 2] mntput_no_expire(mount 1): READ_ONCE(mnt->mnt_ns)  -> ns 1: fast path`.
import type { StepResult } from '../engine.js';
import { formatResult, taskLabel } from '../print.js';
import type { MntputEvent } from './events.js';

export function formatMntputCall(event: MntputEvent): string {
  switch (event.type) {
    case 'rcu_read_lock':
      return `${event.in === 'rcu_walk' ? 'path walk' : 'mntput_no_expire(mount 1)'}: rcu_read_lock()`;
    case 'lookup_mnt':
      return 'path walk: __lookup_mnt()';
    case 'legitimize_mnt':
      return 'path walk: __legitimize_mnt(mount 1): mnt_add_count(+1)';
    case 'rcu_read_unlock':
      return `${event.in === 'rcu_walk' ? 'path walk' : 'mntput_no_expire(mount 1)'}: rcu_read_unlock()`;
    case 'read_mnt_ns':
      return 'mntput_no_expire(mount 1): READ_ONCE(mnt->mnt_ns)';
    case 'mnt_add_count_fast':
      return 'mntput_no_expire(mount 1): mnt_add_count(-1)';
    case 'mntput_slow':
      return 'mntput_no_expire(mount 1): mnt_add_count(-1); mnt_get_count()';
    case 'cleanup_mnt':
      return 'cleanup_mnt(mount 1)';
    case 'umount_tree':
      return 'umount_tree(mount 1)';
    case 'synchronize_rcu_start':
      return 'namespace_unlock(): synchronize_rcu()';
    case 'synchronize_rcu_wait':
      return 'namespace_unlock(): synchronize_rcu() waits';
    case 'idle':
      return 'idle';
  }
}

export function formatMntputStep(event: MntputEvent, result: StepResult): string {
  return `${taskLabel(event.task)} ${formatMntputCall(event)}${formatResult(result)}`;
}
