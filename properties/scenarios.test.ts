// Each scenario, run from the boot state by one task, reaches the checks it is there for, and every
// invariant holds along the way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commands } from './generators.js';
import { runCommands } from './run.js';
import { SCENARIOS, scenarioCommands } from './scenarios.js';

/** The failing checks a scenario's steps end in, from the boot state. */
function checksOf(name: keyof typeof SCENARIOS): string[] {
  const outcome = runCommands(SCENARIOS[name].map((event) => ({ actor: 0, event })));
  expect(outcome.failure).toBeNull();
  return outcome.steps.flatMap((step) => (step.result.ok ? [] : [`${step.result.errno} (${step.result.check})`]));
}

describe('scenarios', () => {
  it('a bare rootfs as the root: do_umount, do_move_mount and pivot_root find no parent', () => {
    expect(checksOf('rootfsIsRoot')).toEqual([
      'EINVAL (do_umount: !mnt_has_parent)',
      'EINVAL (do_move_mount: source has no parent)',
      'EINVAL (pivot_root: !mnt_has_parent(root_mnt))',
    ]);
    expect(checksOf('rootfsIsNewRoot')).toEqual(['EINVAL (pivot_root: !mnt_has_parent(new_mnt))']);
  });
  it('a root on a superblock of the initial user namespace cannot be unmounted from a new one', () => {
    expect(checksOf('unownedRoot')).toEqual([
      'EPERM (can_umount: MNT_FORCE && !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN))',
      'EPERM (do_umount: !ns_capable(sb->s_user_ns, CAP_SYS_ADMIN))',
    ]);
  });
  it('pivot_root of a removed cwd fails ENOENT at d_unlinked', () => {
    expect(checksOf('removedCwd')).toEqual(['ENOENT (pivot_root: d_unlinked(new.dentry))']);
  });
  it('move_mount beneath is refused where propagation would overmount, or on the namespace root', () => {
    expect(checksOf('peerBeneath')).toEqual(['EINVAL (can_move_mount_beneath: propagation would overmount the source)']);
    expect(checksOf('peerOnItsMountpoint')).toEqual(['EINVAL (can_move_mount_beneath: propagation would overmount the target)']);
    expect(checksOf('beneathOnNsRoot')).toEqual(['EINVAL (can_move_mount_beneath: target sits on the namespace root)']);
  });
  it('locked mounts keep their unbindable children and read-only flags', () => {
    expect(checksOf('lockedUnbindable')).toEqual(['EPERM (copy_tree: unbindable MNT_LOCKED child)']);
    expect(checksOf('lockedReadonly')).toEqual([
      'EPERM (do_reconfigure_mnt: !can_change_locked_flags)',
      'EPERM (do_remount: !can_change_locked_flags)',
      'EPERM (mount_setattr_prepare: !can_change_locked_flags())',
    ]);
  });
  it('unlink of a file with a mount on it fails EBUSY at is_local_mountpoint', () => {
    expect(checksOf('unlinkMountpoint')).toEqual(['EBUSY (vfs_unlink: is_local_mountpoint)']);
  });
  it('an unbindable tree does not move under a shared mount; pivot_root from a root on a shared parent fails', () => {
    expect(checksOf('unbindableToShared')).toEqual(['EINVAL (do_move_mount: unbindable mount under a shared destination)']);
    expect(checksOf('rootOnShared')).toEqual(['EINVAL (pivot_root: IS_MNT_SHARED(root_mnt->mnt_parent))']);
  });
  it('shrinking drops the steps of a scenario one by one: a failure that needs one step keeps that step alone', () => {
    const needsPivotRoot = fc.property(scenarioCommands(SCENARIOS.removedCwd), (sequence) => !sequence.some((command) => command.event.type === 'pivot_root'));
    const found = fc.check(needsPivotRoot, { seed: 1 });
    expect(found.failed).toBe(true);
    expect(found.counterexample?.[0].map((command) => command.event.type)).toEqual(['pivot_root']);
  });
  it('sequences with scenarios mixed in keep to the length asked for', () => {
    for (const sequence of fc.sample(commands(10), { seed: 3, numRuns: 500 })) {
      expect(sequence.length).toBeGreaterThanOrEqual(1);
      expect(sequence.length).toBeLessThanOrEqual(10);
    }
  });
});
