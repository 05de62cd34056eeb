// Every task's root and cwd is a live directory on a live mount, inside that mount: the dentry
// belongs to the mount's superblock and lies at or below the mount's root dentry. The mount may
// be of another namespace or not in any (a cwd kept in a lazily unmounted tree is legal).
import type { State } from '../../model/index.js';
import { isSubdir } from '../../model/index.js';
import type { Invariant, Violation } from '../invariant.js';
import { ref } from '../invariant.js';

const NAME = 'task-paths-valid';

export function checkTaskPaths(state: State): Violation[] {
  const violations: Violation[] = [];
  for (const fs of Object.values(state.fsStructs)) {
    for (const [which, path] of [['root', fs.root], ['cwd', fs.pwd]] as const) {
      const mount = state.mounts[path.mnt];
      const dentry = state.dentries[path.dentry];
      const tasks = Object.values(state.tasks).filter((task) => task.fs === fs.id).map((task) => task.pid);
      const objects = [ref('fs_struct', fs.id), ref('mount', path.mnt), ...tasks.map((pid) => ref('task', pid))];
      const who = tasks.length > 0 ? `task ${tasks.join(', ')}` : `fs_struct ${fs.id}`;
      if (mount === undefined || dentry === undefined) {
        violations.push({ invariant: NAME, objects, message: `the ${which} of ${who} is on a freed mount or dentry` });
        continue;
      }
      if (dentry.kind !== 'dir') {
        violations.push({ invariant: NAME, objects, message: `the ${which} of ${who} is not a directory` });
      }
      if (dentry.d_sb !== mount.mnt_sb || !isSubdir(state, dentry.id, mount.mnt_root)) {
        violations.push({
          invariant: NAME,
          objects,
          message: `the ${which} of ${who} is outside its mount ${mount.id}: the dentry is not below the mount's root`,
        });
      }
    }
  }
  return violations;
}

export const taskPathsValid: Invariant = {
  name: NAME,
  guards: 'a root or cwd pins a live mount, and ".." can never climb out of a mount through its dentry',
  check: checkTaskPaths,
  reads: ['tasks', 'fsStructs', 'mounts', 'dentries'],
};
