// fs/namei.c path walking, and fs/proc's magic links: absolute, cwd-relative and dirfd-relative
// paths (path_init), AT_EMPTY_PATH, crossing mountpoints to the topmost mount, ".." across mount
// roots and chroot boundaries, and /proc/<pid>/{ns/mnt,root,cwd,fd/<n>}. Pure: a lookup that would
// instantiate an nsfs dentry returns {kind: 'nsfs'} and the apply step creates it
// (path_from_stashed).
import type { Dirfd } from '../events.js';
import type { Fd, MntNsId, MountId, TaskId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { Failure } from '../result.js';
import { failure } from '../result.js';
import type { File, Path, State, Task } from '../state.js';
import { followMounts } from './mount-tree.js';
import { ptraceMayAccess } from './ptrace.js';

export type Lookup =
  | { readonly ok: true; readonly kind: 'path'; readonly path: Path }
  /** /proc/<pid>/ns/mnt followed: the nsfs dentry of this namespace (created on demand). */
  | { readonly ok: true; readonly kind: 'nsfs'; readonly ns: MntNsId }
  /** A /proc magic link itself, not followed (UMOUNT_NOFOLLOW). */
  | { readonly ok: true; readonly kind: 'proc-link'; /** the directory the link is in */ readonly in: 'pid' | 'ns' | 'fd' }
  /** A procfs directory below /proc (/proc/<pid>, .../ns, .../fd): not modelled as a dentry. */
  | { readonly ok: true; readonly kind: 'proc-dir'; readonly dir: ProcDir; /** the procfs mount the walk is on */ readonly mnt: MountId }
  | Failure;

export interface LookupFlags {
  /** LOOKUP_FOLLOW: follow a magic link in the last component. */
  readonly follow: boolean;
  /**
   * LOOKUP_MOUNTPOINT (umount2): path_lookupat() ends with handle_lookup_down(), so the result
   * crosses to the topmost mount stacked on it even when the walk stopped on "/", "." or a magic
   * link's target.
   */
  readonly mountpoint?: boolean;
  /** LOOKUP_EMPTY (AT_EMPTY_PATH): an empty path names the starting point itself. */
  readonly empty?: boolean;
}

/** Where a walk below the procfs root is: /proc/<pid>, /proc/<pid>/ns or /proc/<pid>/fd. */
export type ProcDir = ProcLevel;
type ProcLevel =
  | { readonly level: 'pid'; readonly pid: TaskId }
  | { readonly level: 'ns'; readonly pid: TaskId }
  | { readonly level: 'fd'; readonly pid: TaskId };

function pathEqual(a: Path, b: Path): boolean {
  return a.mnt === b.mnt && a.dentry === b.dentry;
}

/** fs/namei.c: choose_mountpoint(): climb from a mount root to the mountpoint it covers. */
function chooseMountpoint(state: State, start: Path, root: Path): Path | null {
  let mount = state.mounts[start.mnt];
  while (mount !== undefined && mount.mnt_parent !== null && mount.mnt_mountpoint !== null) {
    const mountpoint = mount.mnt_mountpoint;
    const parent = state.mounts[mount.mnt_parent];
    if (parent === undefined) return null;
    if (root.dentry === mountpoint && root.mnt === parent.id) return null;
    if (mountpoint !== parent.mnt_root) return { mnt: parent.id, dentry: mountpoint };
    mount = parent;
  }
  return null;
}

/** fs/namei.c: follow_dotdot() then handle_mounts(): ".." never leaves the task's root. */
function followDotdot(state: State, current: Path, root: Path, opts: ModelOptions): Path {
  if (pathEqual(current, root)) return followMounts(state, current);
  let at = current;
  const mount = state.mounts[current.mnt];
  const atMountRoot = mount !== undefined && current.dentry === mount.mnt_root;
  if (atMountRoot && opts.bug !== 'dotdot-ignores-mount-root') {
    const chosen = chooseMountpoint(state, current, root);
    if (chosen === null) return followMounts(state, current);
    at = chosen;
  }
  const parent = state.dentries[at.dentry]?.d_parent ?? at.dentry;
  return followMounts(state, { mnt: at.mnt, dentry: parent });
}

function isProcRoot(state: State, path: Path): boolean {
  const dentry = state.dentries[path.dentry];
  if (dentry === undefined) return false;
  const sb = state.superBlocks[dentry.d_sb];
  return sb !== undefined && sb.s_type === 'proc' && sb.s_root === dentry.id;
}

/** A positive procfs entry: its type, and S_IMMUTABLE (set on /proc/<pid> by proc_pid_instantiate()). */
export interface ProcEntry {
  readonly kind: 'dir' | 'symlink';
  readonly immutable: boolean;
}

/**
 * What a name in a procfs directory stands for, for the syscalls that look at the last component
 * themselves (mkdir, mknod, rmdir, unlink). procfs has no negative dentries: a name that is not
 * there fails the lookup itself with ENOENT, the check returned here.
 */
export function procEntry(state: State, task: Task, dir: Path | ProcDir, name: string): ProcEntry | Failure | null {
  if (!('level' in dir)) {
    if (!isProcRoot(state, dir)) return null;
    // fs/proc/root.c: proc_root_lookup(): proc_pid_lookup(), then the /proc/self symlink
    if (name === 'self') return { kind: 'symlink', immutable: false };
    if (procTask(state, task, name) === undefined) return failure('ENOENT', 'proc_root_lookup: no such task');
    return { kind: 'dir', immutable: true };
  }
  const target = state.tasks[dir.pid];
  if (target === undefined) return failure('ENOENT', 'proc_pid_lookup: task has exited');
  if (dir.level === 'pid') {
    // fs/proc/base.c: proc_tgid_base_lookup() -> proc_pident_lookup()
    if (name === 'ns' || name === 'fd') return { kind: 'dir', immutable: false };
    if (name === 'root' || name === 'cwd') return { kind: 'symlink', immutable: false };
    return failure('ENOENT', 'proc_pident_lookup: no such entry');
  }
  if (dir.level === 'ns') {
    // fs/proc/namespaces.c: proc_ns_dir_lookup()
    if (name === 'mnt') return { kind: 'symlink', immutable: false };
    return failure('ENOENT', 'proc_ns_dir_lookup: namespace not modelled');
  }
  // fs/proc/fd.c: proc_lookupfd() -> proc_fd_instantiate()
  return openFile(state, target, name) === undefined
    ? failure('ENOENT', 'proc_lookupfd: no such fd')
    : { kind: 'symlink', immutable: false };
}

/**
 * fs/proc/util.c: name_to_int(): a decimal number without leading zeros (but "0") below
 * (~0U - 9) / 10 before its last digit; anything else is ~0U, which names nothing.
 */
function nameToInt(name: string): number | null {
  if (!/^(0|[1-9][0-9]*)$/.test(name)) return null;
  const value = Number(name);
  return value <= 4294967285 ? value : null;
}

function procTask(state: State, caller: Task, name: string): Task | undefined {
  if (name === 'self') return caller;
  const tgid = nameToInt(name);
  return tgid === null ? undefined : state.tasks[tgid as TaskId];
}

/** fs/proc/fd.c: proc_lookupfd_common(): the file behind /proc/<pid>/fd/<name>, if that fd is open. */
function openFile(state: State, target: Task, name: string): File | undefined {
  const fd = nameToInt(name);
  if (fd === null) return undefined;
  const fileId = state.filesStructs[target.files]?.fdt[fd as Fd];
  return fileId === undefined ? undefined : state.files[fileId];
}

/**
 * fs/namei.c: path_lookupat() for `path` as seen by `task`. Every component crosses to the topmost
 * mount stacked on it; a trailing "." stays where it is (unless `flags.mountpoint`). A relative
 * path starts at `start` (a dirfd's f_path, see lookupAt) or else at the cwd; with
 * `flags.empty` an empty path is the starting point itself, not crossed to a mount on top of it.
 */
export function pathLookup(
  state: State,
  task: Task,
  path: string,
  flags: LookupFlags,
  opts: ModelOptions,
  start?: Path,
): Lookup {
  // getname_flags(): an empty name is ENOENT unless LOOKUP_EMPTY
  if (path === '' && flags.empty !== true) return failure('ENOENT', 'getname: empty path');
  const fs = state.fsStructs[task.fs];
  if (fs === undefined) return failure('ENOENT', 'path_init: task has no fs_struct');
  const absolute = path.startsWith('/');
  // path_init(): a relative name needs a dirfd that can be looked up in (d_can_lookup)
  if (start !== undefined && !absolute && path !== '' && state.dentries[start.dentry]?.kind !== 'dir') {
    return failure('ENOTDIR', 'path_init: dirfd is not a directory');
  }
  const components = path.split('/').filter((name) => name !== '' && name !== '.');
  const mustBeDir = path.endsWith('/') || path.endsWith('/.') || path === '.';
  let current: Path = absolute ? fs.root : (start ?? fs.pwd);
  let proc: ProcLevel | null = null;

  for (let index = 0; index < components.length; index++) {
    const name = components[index] as string;
    const last = index === components.length - 1;
    if (proc !== null) {
      // proc_pid_lookup() and friends: ".." from /proc/<pid> is back at the procfs root, which is
      // still `current` (the walk below /proc never moves it).
      if (name === '..' && proc.level === 'pid') {
        proc = null;
        continue;
      }
      // a trailing slash makes the last component a directory to be followed into (LOOKUP_FOLLOW)
      const step = walkProc(state, task, proc, name, last, mustBeDir ? { ...flags, follow: true } : flags);
      if ('ok' in step) {
        // path_lookupat(): LOOKUP_DIRECTORY (a trailing slash) on the followed ns link
        if (step.ok && step.kind === 'nsfs' && mustBeDir) {
          return failure('ENOTDIR', 'lookup: trailing slash on a non-directory');
        }
        return step;
      }
      if ('path' in step) {
        current = step.path;
        proc = null;
      } else {
        proc = step;
      }
      continue;
    }
    const dentry = state.dentries[current.dentry];
    if (dentry === undefined) return failure('ENOENT', 'link_path_walk: dentry freed');
    if (dentry.kind !== 'dir') return failure('ENOTDIR', 'link_path_walk: may_lookup: not a directory');
    if (name === '..') {
      current = followDotdot(state, current, fs.root, opts);
      continue;
    }
    if (isProcRoot(state, current)) {
      const target = procTask(state, task, name);
      if (target === undefined) return failure('ENOENT', 'proc_root_lookup: no such task');
      proc = { level: 'pid', pid: target.pid };
      if (last) return { ok: true, kind: 'proc-dir', dir: proc, mnt: current.mnt };
      continue;
    }
    const child = dentry.unlinked ? undefined : dentry.d_subdirs[name];
    if (child === undefined) return failure('ENOENT', 'lookup_fast: no such entry');
    current = followMounts(state, { mnt: current.mnt, dentry: child });
  }
  if (proc !== null) return { ok: true, kind: 'proc-dir', dir: proc, mnt: current.mnt };
  // path_lookupat(): LOOKUP_MOUNTPOINT -> handle_lookup_down()
  if (flags.mountpoint) current = followMounts(state, current);
  if (mustBeDir && state.dentries[current.dentry]?.kind !== 'dir') {
    return failure('ENOTDIR', 'lookup: trailing slash on a non-directory');
  }
  return { ok: true, kind: 'path', path: current };
}

/**
 * fs/namei.c: user_path_at(dfd, path): path_init() starts an absolute path at the root whatever
 * `dfd` is, and a relative or (LOOKUP_EMPTY) empty one at the cwd for AT_FDCWD or at the f_path of
 * the file behind `dfd` (fdget_raw(): O_PATH files are valid dirfds).
 * Sockets and fs_context files sit on internal pseudo filesystems the model keeps no dentries for:
 * a relative path under one is ENOTDIR as in the kernel; the file itself (an empty path) is
 * refused with EINVAL, which is what every mount-API caller answers for it (it is neither a mount
 * root nor in a namespace) except open_tree() without OPEN_TREE_CLONE, which would open it.
 */
export function lookupAt(
  state: State,
  task: Task,
  dfd: Dirfd,
  path: string,
  flags: LookupFlags,
  opts: ModelOptions,
): Lookup {
  // getname_flags(): an empty name is ENOENT unless LOOKUP_EMPTY, before the dirfd is looked at
  if (path === '' && flags.empty !== true) return failure('ENOENT', 'getname: empty path');
  if (path.startsWith('/') || dfd === 'AT_FDCWD') return pathLookup(state, task, path, flags, opts);
  // path_init(): fdget_raw(dfd)
  const fileId = state.filesStructs[task.files]?.fdt[dfd];
  const file = fileId === undefined ? undefined : state.files[fileId];
  if (file === undefined) return failure('EBADF', 'path_init: fdget_raw: bad file descriptor');
  if (file.kind !== 'path') {
    // path_init(): *s && !d_can_lookup(dentry)
    if (path !== '') return failure('ENOTDIR', 'path_init: dirfd is not a directory');
    return failure('EINVAL', 'model: sockets and fs_context files are on internal pseudo mounts');
  }
  return pathLookup(state, task, path, flags, opts, file.f_path);
}

type ProcStep = ProcLevel | { readonly path: Path } | Lookup;

/**
 * fs/proc: the /proc/<pid>/... entries the model knows, the magic links among them followed. Each
 * link's ->get_link checks ptrace_may_access(PTRACE_MODE_READ_FSCREDS) on the task the link
 * belongs to and fails EACCES (proc_pid_get_link() for root, cwd and fd/<n>, proc_ns_get_link()
 * for ns/<type>); a link that is not followed is not checked.
 */
function walkProc(state: State, caller: Task, at: ProcLevel, name: string, last: boolean, flags: LookupFlags): ProcStep {
  if (name === '..') return { level: 'pid', pid: at.pid }; // from .../ns or .../fd
  const target = state.tasks[at.pid];
  if (target === undefined) return failure('ENOENT', 'proc_pid_lookup: task has exited');
  const targetFs = state.fsStructs[target.fs];
  if (at.level === 'pid') {
    if (name === 'ns') return { level: 'ns', pid: at.pid };
    if (name === 'fd') return { level: 'fd', pid: at.pid };
    if (name === 'root' || name === 'cwd') {
      if (last && !flags.follow) return { ok: true, kind: 'proc-link', in: 'pid' };
      // fs/proc/base.c: proc_pid_get_link(): proc_fd_access_allowed()
      if (!ptraceMayAccess(state, caller, target)) return failure('EACCES', 'proc_fd_access_allowed: ptrace_may_access');
      if (targetFs === undefined) return failure('ENOENT', `proc_${name}_link: no fs_struct`);
      return { path: name === 'root' ? targetFs.root : targetFs.pwd };
    }
    return failure('ENOENT', 'proc_pident_lookup: no such entry');
  }
  if (at.level === 'ns') {
    if (name !== 'mnt') return failure('ENOENT', 'proc_ns_dir_lookup: namespace not modelled');
    if (last && !flags.follow) return { ok: true, kind: 'proc-link', in: 'ns' };
    // fs/proc/namespaces.c: proc_ns_get_link()
    if (!ptraceMayAccess(state, caller, target)) return failure('EACCES', 'proc_ns_get_link: ptrace_may_access');
    if (!last) return failure('ENOTDIR', 'link_path_walk: nsfs file is not a directory');
    return { ok: true, kind: 'nsfs', ns: target.mntNs };
  }
  // at.level === 'fd': fs/proc/fd.c: proc_lookupfd(), then proc_fd_link()
  const file = openFile(state, target, name);
  if (file === undefined) return failure('ENOENT', 'proc_lookupfd: no such fd');
  if (last && !flags.follow) return { ok: true, kind: 'proc-link', in: 'fd' };
  // fs/proc/base.c: proc_pid_get_link(): proc_fd_access_allowed()
  if (!ptraceMayAccess(state, caller, target)) return failure('EACCES', 'proc_fd_access_allowed: ptrace_may_access');
  if (file.kind === 'socket') return failure('ENXIO', 'proc_fd_link: sockfs paths are not modelled');
  if (file.kind === 'fscontext') return failure('ENXIO', 'proc_fd_link: anon_inode paths are not modelled');
  return { path: file.f_path };
}

export interface ParentLookup {
  readonly ok: true;
  readonly parent: Path;
  readonly last: string;
  readonly type: 'norm' | 'dot' | 'dotdot' | 'root';
  readonly trailingSlash: boolean;
}

/** fs/namei.c: filename_parentat(): the directory a name is created in or removed from. */
export function parentLookup(
  state: State,
  task: Task,
  path: string,
  opts: ModelOptions,
): ParentLookup | Failure | { readonly ok: true; readonly kind: 'proc-dir'; readonly dir: ProcDir; readonly mnt: MountId } {
  if (path === '') return failure('ENOENT', 'getname: empty path');
  const components = path.split('/').filter((name) => name !== '');
  const trailingSlash = path.length > 1 && path.endsWith('/');
  const fs = state.fsStructs[task.fs];
  if (fs === undefined) return failure('ENOENT', 'path_init: task has no fs_struct');
  if (components.length === 0) return { ok: true, parent: fs.root, last: '/', type: 'root', trailingSlash };
  const last = components[components.length - 1] as string;
  const prefix = components.slice(0, -1).join('/');
  const parentPath = (path.startsWith('/') ? '/' : '') + (prefix === '' ? (path.startsWith('/') ? '' : '.') : prefix);
  const found = pathLookup(state, task, parentPath === '' ? '/' : parentPath, { follow: true }, opts);
  if (!found.ok) return found;
  if (found.kind === 'proc-dir') return found;
  if (found.kind !== 'path') return failure('ENOTDIR', 'filename_parentat: not a directory');
  if (state.dentries[found.path.dentry]?.kind !== 'dir') {
    return failure('ENOTDIR', 'filename_parentat: not a directory');
  }
  const type = last === '.' ? 'dot' : last === '..' ? 'dotdot' : 'norm';
  return { ok: true, parent: found.path, last, type, trailingSlash };
}
