// Privileges are respected (kernel-semantics.md §4.11, §4.12, §4.20): the flags of a mount change
// only by a task with CAP_SYS_ADMIN over the user namespace that owns the mount's namespace
// (may_mount() together with check_mnt(), or mount_setattr()'s may_mount()), and the read-only
// state of a superblock only by a task with CAP_SYS_ADMIN over the superblock's s_user_ns
// (do_remount(), do_umount_root()). Copies made by clone/unshare or propagation are new mounts,
// not changed ones, and lock_mnt_tree() sets only lock bits, so neither is looked at here.
// A detached tree (a mount of an anonymous namespace) is the exception: do_mount_setattr() accepts
// anon_ns_root() from any caller with may_mount() over its own namespace, whoever made the tree,
// since holding the open_tree()/fsmount() fd is the permission. Checked on 6.18.44: a task that
// unshared CLONE_NEWUSER|CLONE_NEWNS made its parent's open_tree(OPEN_TREE_CLONE) copy read-only.
import type { Event, MountFlags, State, Task, UserNsId } from '../../model/index.js';
import { nsCapable } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'privileges-respected';

const SETTABLE: readonly { readonly flag: keyof MountFlags; readonly name: string }[] = [
  { flag: 'readonly', name: 'MNT_READONLY' },
  { flag: 'nosuid', name: 'MNT_NOSUID' },
  { flag: 'nodev', name: 'MNT_NODEV' },
  { flag: 'noexec', name: 'MNT_NOEXEC' },
];

/** "MNT_READONLY set, MNT_NOSUID cleared": the user-settable flags that differ. */
function flagChanges(was: MountFlags, now: MountFlags): string[] {
  return SETTABLE.filter(({ flag }) => was[flag] !== now[flag]).map(({ flag, name }) => `${name} ${now[flag] ? 'set' : 'cleared'}`);
}

const capable = (state: State, task: Task | undefined, owner: UserNsId): boolean =>
  task !== undefined && nsCapable(state, task, owner, 'sysAdmin');

export function checkPrivilegesStep(before: State, after: State, event: Event): Violation[] {
  if (before.mounts === after.mounts && before.superBlocks === after.superBlocks) return [];
  const violations: Violation[] = [];
  const task = before.tasks[event.task];
  const actor = task === undefined ? `task ${event.task}, which does not exist,` : `task ${event.task}`;
  if (before.mounts !== after.mounts) {
    for (const now of Object.values(after.mounts)) {
      const was = before.mounts[now.id];
      if (was === undefined || was === now || was.flags === now.flags) continue;
      const changes = flagChanges(was.flags, now.flags);
      if (changes.length === 0) continue;
      const nsId = was.mnt_ns ?? now.mnt_ns;
      const ns = nsId === null ? undefined : (before.mntNamespaces[nsId] ?? after.mntNamespaces[nsId]);
      if (ns === undefined) {
        violations.push({
          invariant: NAME,
          objects: [ref('task', event.task), ref('mount', now.id)],
          message: `${actor} changed the flags of mount ${now.id} (${changes.join(', ')}), which is in no namespace: nobody may change them`,
        });
        continue;
      }
      // an anonymous namespace: may_mount() of the caller, over the owner of its own namespace
      const owner = ns.anon ? (task === undefined ? undefined : before.mntNamespaces[task.mntNs]?.user_ns) : ns.user_ns;
      if (owner !== undefined && capable(before, task, owner)) continue;
      const whose = ns.anon
        ? `, the owner of its own mount namespace (may_mount(), for the detached tree of anonymous namespace ${ns.id})`
        : `, the owner of mount namespace ${ns.id}`;
      violations.push({
        invariant: NAME,
        objects: [ref('task', event.task), ref('mount', now.id), ref('mnt_namespace', ns.id)],
        message: `${actor} changed the flags of mount ${now.id} (${changes.join(', ')}) without CAP_SYS_ADMIN over user namespace ${String(owner)}${whose}`,
      });
    }
  }
  if (before.superBlocks !== after.superBlocks) {
    for (const now of Object.values(after.superBlocks)) {
      const was = before.superBlocks[now.id];
      if (was === undefined || was === now || was.sb_rdonly === now.sb_rdonly) continue;
      if (capable(before, task, was.s_user_ns)) continue;
      violations.push({
        invariant: NAME,
        objects: [ref('task', event.task), ref('super_block', now.id)],
        message: `${actor} made superblock ${now.id} ${now.sb_rdonly ? 'read-only' : 'writable'} without CAP_SYS_ADMIN over its owner, user namespace ${was.s_user_ns}`,
      });
    }
  }
  return violations;
}

export const privilegesRespected: Invariant = {
  name: NAME,
  guards:
    'a task may change how a filesystem is mounted only where it is privileged: remount, mount_setattr() and the read-only remount of umount2() on the own root check CAP_SYS_ADMIN over the owning user namespace',
  checkStep: checkPrivilegesStep,
};
