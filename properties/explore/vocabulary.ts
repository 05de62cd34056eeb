// The finite vocabulary exhaustive exploration draws from: concrete events over two tasks (the boot
// task and the one its first clone makes), the places mounts go (/mnt, /mnt/a, /mnt/f, /tmp, /),
// namespace files (/proc/self/ns/mnt, /proc/2/ns/mnt) and the first two fds. It holds every
// event of the shortest known trace of each seeded bug of up to four events, so that exploring to
// that depth finds them, and around them the syscalls that build the states those bugs live in.
// `mntns explore --print-vocabulary` lists it as a trace; `--vocabulary FILE` replaces it with the
// events of a trace file.
import type { Event, MountFlag, TaskId } from '../../model/index.js';
import { fd } from '../../model/index.js';

const INIT = 1 as TaskId;
const CHILD = 2 as TaskId;

const mount = (task: TaskId, source: string | null, target: string, fstype: string | null, flags: MountFlag[]): Event => ({
  type: 'mount',
  task,
  source,
  target,
  fstype,
  flags,
});

export const DEFAULT_VOCABULARY: readonly Event[] = [
  // tasks and namespaces
  { type: 'clone', task: INIT, flags: ['CLONE_NEWNS'] },
  { type: 'clone', task: INIT, flags: [] },
  { type: 'unshare', task: INIT, flags: ['CLONE_NEWNS'] },
  { type: 'unshare', task: INIT, flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
  { type: 'unshare', task: CHILD, flags: ['CLONE_NEWNS'] },
  { type: 'exit', task: INIT },
  { type: 'exit', task: CHILD },
  { type: 'open', task: INIT, path: '/proc/self/ns/mnt', flags: [] },
  { type: 'open', task: CHILD, path: '/proc/1/ns/mnt', flags: [] },
  { type: 'setns', task: INIT, fd: fd(3), nstype: '0' },
  { type: 'setns', task: CHILD, fd: fd(3), nstype: 'CLONE_NEWNS' },
  // directories and files
  { type: 'mkdir', task: INIT, path: '/mnt/a' },
  { type: 'mknod', task: INIT, path: '/mnt/f' },
  { type: 'rmdir', task: INIT, path: '/mnt/a' },
  // fds and paths
  { type: 'open', task: INIT, path: '/mnt', flags: ['O_PATH'] },
  { type: 'close', task: INIT, fd: fd(3) },
  { type: 'close', task: INIT, fd: fd(4) },
  { type: 'dup', task: INIT, fd: fd(3) },
  { type: 'fchdir', task: INIT, fd: fd(3) },
  { type: 'chdir', task: INIT, path: '/mnt' },
  { type: 'chroot', task: INIT, path: '/mnt' },
  { type: 'socketpair', task: INIT },
  { type: 'sendmsg', task: INIT, fd: fd(3), fds: [fd(3)] },
  // mount(2)
  mount(INIT, 'none', '/mnt', 'tmpfs', []),
  mount(INIT, 'none', '/tmp', 'tmpfs', []),
  mount(CHILD, 'none', '/mnt', 'tmpfs', []),
  mount(INIT, '/', '/mnt', null, ['MS_BIND']),
  mount(INIT, '/mnt', '/mnt/a', null, ['MS_BIND']),
  mount(INIT, '/tmp', '/mnt', null, ['MS_BIND']),
  mount(INIT, '/mnt', '/tmp', null, ['MS_BIND', 'MS_REC']),
  mount(INIT, '/proc/self/ns/mnt', '/mnt/f', null, ['MS_BIND']),
  mount(INIT, '/proc/2/ns/mnt', '/mnt/f', null, ['MS_BIND']),
  mount(INIT, 'none', '/mnt/a/..', 'tmpfs', []),
  mount(INIT, 'none', '/mnt/..', 'tmpfs', []),
  mount(INIT, '/', '..', null, ['MS_MOVE']),
  mount(INIT, '/mnt', '/tmp', null, ['MS_MOVE']),
  mount(INIT, null, '/', null, ['MS_SHARED']),
  mount(INIT, null, '/mnt', null, ['MS_SHARED']),
  mount(INIT, null, '/', null, ['MS_SLAVE']),
  mount(INIT, null, '/', null, ['MS_REMOUNT', 'MS_NOEXEC']),
  mount(INIT, null, '/', null, ['MS_REMOUNT', 'MS_BIND']),
  // umount2(2)
  { type: 'umount2', task: INIT, target: '/mnt', flags: [] },
  { type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] },
  { type: 'umount2', task: INIT, target: '/tmp', flags: [] },
  { type: 'umount2', task: INIT, target: '/', flags: [] },
  { type: 'umount2', task: INIT, target: '/', flags: ['MNT_DETACH'] },
  { type: 'umount2', task: CHILD, target: '/mnt', flags: ['MNT_DETACH'] },
  // pivot_root(2)
  { type: 'pivot_root', task: INIT, new_root: '.', put_old: '.' },
  { type: 'pivot_root', task: INIT, new_root: '/tmp', put_old: '/tmp' },
  // the new mount API
  { type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/proc/self/ns/mnt', flags: [] },
  { type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/proc/self/ns/mnt', flags: ['OPEN_TREE_CLONE'] },
  { type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/', flags: ['OPEN_TREE_CLONE'] },
  { type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: ['OPEN_TREE_CLONE', 'AT_RECURSIVE'] },
  { type: 'move_mount', task: INIT, from_dfd: fd(3), from_path: '', to_dfd: 'AT_FDCWD', to_path: '/mnt/f', flags: ['MOVE_MOUNT_F_EMPTY_PATH'] },
  { type: 'move_mount', task: INIT, from_dfd: fd(3), from_path: '', to_dfd: 'AT_FDCWD', to_path: '/', flags: ['MOVE_MOUNT_F_EMPTY_PATH'] },
  { type: 'move_mount', task: INIT, from_dfd: fd(3), from_path: '', to_dfd: 'AT_FDCWD', to_path: '/mnt', flags: ['MOVE_MOUNT_F_EMPTY_PATH'] },
  { type: 'fsopen', task: INIT, fsname: 'tmpfs' },
  { type: 'fsconfig', task: INIT, fd: fd(3), cmd: 'FSCONFIG_CMD_CREATE' },
  { type: 'fsmount', task: INIT, fd: fd(3), attr: [] },
  { type: 'mount_setattr', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: [], attr_set: ['MOUNT_ATTR_RDONLY'], attr_clr: [], propagation: null },
  { type: 'mount_setattr', task: INIT, dfd: 'AT_FDCWD', path: '/', flags: ['AT_RECURSIVE'], attr_set: [], attr_clr: [], propagation: 'MS_SHARED' },
];
