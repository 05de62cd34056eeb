// Locks hold (kernel-semantics.md §1.4, §4.11, §8.6): a tree that entered a less privileged user
// namespace is locked by lock_mnt_tree(), and the less privileged side may then neither clear a
// locked flag nor pull a locked mount off its parent to see what it covers.
//
// State: each MNT_LOCK_* bit implies its flag (can_change_locked_flags() refuses to clear a
// locked flag); a MNT_LOCKED mount that is mounted has a parent (no namespace root is locked:
// clone_mnt() never copies MNT_LOCKED). An unmounted locked mount may lose its parent when that
// parent is finally released (cleanup_mnt() puts its mnt_stuck_children): nothing can see it then.
//
// Step: a lock bit is never cleared on a mount alive before and after; a mount locked before and
// after keeps the parent it had when that parent still exists, except in the three places where
// the kernel moves a locked mount without revealing anything:
//   - attach_recursive_mnt() slides a mount in the way on top of a propagated copy: its old
//     place is covered by the copy;
//   - __detach_mounts() disconnects the mounts on a dentry that was just removed;
//   - propagate_umount()'s reparent() slides a mount down into the place of the mount it covered,
//     when that one is unmounted and the sliding mount stays mounted.
import type { DentryId, Event, Mount, MountFlags, MountId, State } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'locks-hold';

interface Lock {
  readonly lock: keyof MountFlags;
  readonly flag: keyof MountFlags;
  readonly lockName: string;
  readonly flagName: string;
}

const LOCKS: readonly Lock[] = [
  { lock: 'lockReadonly', flag: 'readonly', lockName: 'MNT_LOCK_READONLY', flagName: 'MNT_READONLY' },
  { lock: 'lockNosuid', flag: 'nosuid', lockName: 'MNT_LOCK_NOSUID', flagName: 'MNT_NOSUID' },
  { lock: 'lockNodev', flag: 'nodev', lockName: 'MNT_LOCK_NODEV', flagName: 'MNT_NODEV' },
  { lock: 'lockNoexec', flag: 'noexec', lockName: 'MNT_LOCK_NOEXEC', flagName: 'MNT_NOEXEC' },
];

export function checkLocks(state: State): Violation[] {
  const violations: Violation[] = [];
  for (const mount of Object.values(state.mounts)) {
    for (const { lock, flag, lockName, flagName } of LOCKS) {
      if (mount.flags[lock] && !mount.flags[flag]) {
        violations.push({
          invariant: NAME,
          objects: [ref('mount', mount.id)],
          message: `mount ${mount.id} has ${lockName} but not ${flagName}: a locked flag was cleared`,
        });
      }
    }
    if (mount.flags.locked && mount.mnt_ns !== null && mount.mnt_parent === null) {
      violations.push({
        invariant: NAME,
        objects: [ref('mount', mount.id)],
        message: `mount ${mount.id} is MNT_LOCKED and mounted in namespace ${mount.mnt_ns} but has no parent to be locked to`,
      });
    }
  }
  return violations;
}

/** Whether a mount sits on (parent, dentry) in the state. */
function covered(state: State, parent: MountId, dentry: DentryId): boolean {
  const parentMount = state.mounts[parent];
  return parentMount !== undefined && parentMount.mnt_mounts.some((child) => state.mounts[child]?.mnt_mountpoint === dentry);
}

/** The kernel moved a locked mount off its parent without revealing what it covered (see the header). */
function movedWithoutRevealing(before: State, after: State, was: Mount, now: Mount, parent: MountId): boolean {
  const mountpoint = was.mnt_mountpoint;
  if (mountpoint === null) return false;
  if (covered(after, parent, mountpoint)) return true; // slid on top of a propagated copy
  const dentry = after.dentries[mountpoint];
  if (dentry === undefined || dentry.unlinked) return true; // __detach_mounts()
  const parentBefore = before.mounts[parent];
  const parentAfter = after.mounts[parent];
  const parentLeft = parentBefore?.mnt_ns !== null && parentAfter?.mnt_ns === null;
  return parentLeft && now.mnt_ns !== null; // reparent()
}

export function checkLocksStep(before: State, after: State, _event: Event): Violation[] {
  if (before.mounts === after.mounts) return [];
  const violations: Violation[] = [];
  for (const now of Object.values(after.mounts)) {
    const was = before.mounts[now.id];
    if (was === undefined || was === now) continue;
    for (const { lock, lockName } of LOCKS) {
      if (was.flags[lock] && !now.flags[lock]) {
        violations.push({
          invariant: NAME,
          objects: [ref('mount', now.id)],
          message: `mount ${now.id} lost ${lockName}: a lock bit is never cleared`,
        });
      }
    }
    const parent = was.mnt_parent;
    if (!was.flags.locked || !now.flags.locked || parent === null || now.mnt_parent === parent) continue;
    if (after.mounts[parent] === undefined) continue; // released: nothing is left to see
    if (movedWithoutRevealing(before, after, was, now, parent)) continue;
    violations.push({
      invariant: NAME,
      objects: [ref('mount', now.id), ref('mount', parent)],
      message: `mount ${now.id} is MNT_LOCKED but was separated from its parent mount ${parent}, which still exists: what it covered there can now be seen`,
    });
  }
  return violations;
}

export const locksHold: Invariant = {
  name: NAME,
  guards:
    'a less privileged user namespace that received a locked tree (lock_mnt_tree()) can neither clear the flags nor uncover the mountpoints that the more privileged owner set',
  check: checkLocks,
  reads: ['mounts'],
  checkStep: checkLocksStep,
};
