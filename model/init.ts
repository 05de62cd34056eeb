// The state as the kernel boots it, in the layout the oracle harness recreates: the namespace root
// is rootfs, the real root filesystem is mounted on top of it at "/", procfs is mounted on /proc,
// and one privileged task (pid 1) has its root and cwd at "/". The kernel's internal nsfs mount
// exists from the start. The real root is a tmpfs, as the harness's sandbox is.
import type { DentryId, FileId, FilesStructId, FsStructId, MntNsId, MountId, SuperBlockId, TaskId, UserNsId } from './ids.js';
import type { Dentry, Mount, State } from './state.js';
import { NO_FLAGS } from './internal/alloc.js';

/** The directories of the real root filesystem at boot. */
export const BOOT_DIRECTORIES = ['proc', 'mnt', 'tmp'] as const;

const ROOTFS_SB = 1 as SuperBlockId;
const ROOT_SB = 2 as SuperBlockId;
const PROC_SB = 3 as SuperBlockId;
const NSFS_SB = 4 as SuperBlockId;
const ROOTFS_MNT = 1 as MountId;
const ROOT_MNT = 2 as MountId;
const PROC_MNT = 3 as MountId;
const NSFS_MNT = 4 as MountId;
const INIT_NS = 1 as MntNsId;
const INIT_USER_NS = 1 as UserNsId;
const INIT_TASK = 1 as TaskId;

function mount(id: MountId, sb: SuperBlockId, root: DentryId, parent: MountId | null, mountpoint: DentryId | null, count: number, children: MountId[]): Mount {
  return {
    id,
    mnt_parent: parent,
    mnt_mountpoint: mountpoint,
    mnt_root: root,
    mnt_sb: sb,
    mnt_ns: id === NSFS_MNT ? null : INIT_NS,
    internal: id === NSFS_MNT,
    mnt_count: count,
    mnt_mounts: children,
    flags: { ...NO_FLAGS },
    mnt_expiry_mark: false,
    mnt_group_id: null,
    mnt_master: null,
    unbindable: false,
  };
}

export function initialState(): State {
  const dentries: Record<number, Dentry> = {};
  const subdirs: Record<number, Record<string, DentryId>> = {};
  let nextDentry = 1;
  const dir = (sb: SuperBlockId, parent: DentryId | null, name: string): DentryId => {
    const id = nextDentry++ as DentryId;
    const children: Record<string, DentryId> = {};
    subdirs[id] = children;
    dentries[id] = { kind: 'dir', id, d_sb: sb, d_parent: parent, d_name: name, unlinked: false, d_subdirs: children };
    if (parent !== null) (subdirs[parent] as Record<string, DentryId>)[name] = id;
    return id;
  };
  const rootfsRoot = dir(ROOTFS_SB, null, '/');
  const rootRoot = dir(ROOT_SB, null, '/');
  const bootDirs = BOOT_DIRECTORIES.map((name) => dir(ROOT_SB, rootRoot, name));
  const procDir = bootDirs[0] as DentryId;
  const procRoot = dir(PROC_SB, null, '/');
  const nsfsRoot = dir(NSFS_SB, null, '/');

  const root = { mnt: ROOT_MNT, dentry: rootRoot };
  const superBlock = (id: SuperBlockId, type: 'rootfs' | 'tmpfs' | 'proc' | 'nsfs', sRoot: DentryId) => ({
    id,
    s_type: type,
    s_active: 1,
    s_root: sRoot,
    s_dev: id,
    s_user_ns: INIT_USER_NS,
    sb_rdonly: false,
  });
  return {
    tasks: {
      [INIT_TASK]: {
        pid: INIT_TASK,
        mntNs: INIT_NS,
        fs: 1 as FsStructId,
        files: 1 as FilesStructId,
        userNs: INIT_USER_NS,
        caps: { sysAdmin: true, sysChroot: true },
      },
    },
    fsStructs: { [1 as FsStructId]: { id: 1 as FsStructId, users: 1, root, pwd: root } },
    filesStructs: { [1 as FilesStructId]: { id: 1 as FilesStructId, count: 1, fdt: {} } },
    files: {} as Record<FileId, never>,
    mntNamespaces: {
      [INIT_NS]: {
        id: INIT_NS,
        seq: 1,
        root: ROOTFS_MNT,
        count: 1,
        nr_mounts: 3,
        stashed: null,
        user_ns: INIT_USER_NS,
        anon: false,
        seq_origin: 0,
      },
    },
    userNamespaces: { [INIT_USER_NS]: { id: INIT_USER_NS, parent: null } },
    mounts: {
      [ROOTFS_MNT]: mount(ROOTFS_MNT, ROOTFS_SB, rootfsRoot, null, null, 1, [ROOT_MNT]),
      // the tree reference, and the root and pwd of task 1
      [ROOT_MNT]: mount(ROOT_MNT, ROOT_SB, rootRoot, ROOTFS_MNT, rootfsRoot, 3, [PROC_MNT]),
      [PROC_MNT]: mount(PROC_MNT, PROC_SB, procRoot, ROOT_MNT, procDir, 1, []),
      [NSFS_MNT]: mount(NSFS_MNT, NSFS_SB, nsfsRoot, null, null, 1, []),
    },
    superBlocks: {
      [ROOTFS_SB]: superBlock(ROOTFS_SB, 'rootfs', rootfsRoot),
      [ROOT_SB]: superBlock(ROOT_SB, 'tmpfs', rootRoot),
      [PROC_SB]: superBlock(PROC_SB, 'proc', procRoot),
      [NSFS_SB]: superBlock(NSFS_SB, 'nsfs', nsfsRoot),
    },
    dentries,
    mountpoints: {
      [rootfsRoot]: { m_dentry: rootfsRoot, m_count: 1 },
      [procDir]: { m_dentry: procDir, m_count: 1 },
    },
    nsfsMnt: NSFS_MNT,
    next: {
      pid: 2,
      mount: 5,
      mntNs: 2,
      nsSeq: 2,
      userNs: 2,
      sb: 5,
      dev: 5,
      dentry: nextDentry,
      ino: 1,
      file: 1,
      fsStruct: 2,
      filesStruct: 2,
      peerGroup: 1,
    },
  };
}
