// The state of the model: one table per kind of kernel object, relations as ids, field names taken
// from the kernel structs. Plain data only (no Map, Set or class), so traces, immer patches and
// snapshots stay trivial. A freed object is deleted from its table: any id that still points at a
// missing entry is a use-after-free, which properties/no-use-after-free.ts looks for.
import type {
  DentryId,
  Fd,
  FileId,
  FilesStructId,
  FsStructId,
  MntNsId,
  MountId,
  PeerGroupId,
  SuperBlockId,
  TaskId,
  UserNsId,
} from './ids.js';

/** struct path: a (mount, dentry) pair. Holding one holds a reference on the mount. */
export interface Path {
  readonly mnt: MountId;
  readonly dentry: DentryId;
}

/** The capabilities the model tracks, in the task's user namespace (cred->cap_effective). */
export interface Caps {
  readonly sysAdmin: boolean; // CAP_SYS_ADMIN
  readonly sysChroot: boolean; // CAP_SYS_CHROOT
}

export interface Task {
  readonly pid: TaskId;
  readonly mntNs: MntNsId; // task->nsproxy->mnt_ns (each task holds one ns reference)
  readonly fs: FsStructId; // task->fs
  readonly files: FilesStructId; // task->files
  readonly userNs: UserNsId; // task->cred->user_ns
  readonly caps: Caps; // task->cred->cap_effective
}

/** struct fs_struct: root and cwd, shared by tasks cloned with CLONE_FS. */
export interface FsStruct {
  readonly id: FsStructId;
  readonly users: number; // fs->users
  readonly root: Path; // fs->root
  readonly pwd: Path; // fs->pwd
}

/** struct files_struct: the fd table, shared by tasks cloned with CLONE_FILES. */
export interface FilesStruct {
  readonly id: FilesStructId;
  readonly count: number; // files->count
  readonly fdt: Readonly<Record<Fd, FileId>>; // files->fdt->fd[]
}

/** A struct file on a path: a regular or O_PATH open, or an open of a namespace file. */
export interface PathFile {
  readonly kind: 'path';
  readonly id: FileId;
  readonly f_count: number; // file->f_count
  readonly f_path: Path; // file->f_path
  readonly fmodePath: boolean; // FMODE_PATH: opened with O_PATH
  /** FMODE_NEED_UNMOUNT: an open_tree(OPEN_TREE_CLONE) or fsmount() file; its last fput dissolves the tree. */
  readonly needUnmount: boolean;
}

/** The filesystem types fsopen(2) and mount(2) can create. */
export type MountableFsType = 'tmpfs' | 'proc';

/** A struct file for an fs_context (fsopen): holds the superblock it created, if any. */
export interface FsContextFile {
  readonly kind: 'fscontext';
  readonly id: FileId;
  readonly f_count: number; // file->f_count
  readonly fs_type: MountableFsType; // fc->fs_type
  /** fc->user_ns: the fsopen() caller's user namespace (procfs: its pid namespace's owner). */
  readonly user_ns: UserNsId;
  /** fc->phase: FS_CONTEXT_CREATE_PARAMS, FS_CONTEXT_AWAITING_MOUNT, or used by fsmount(). */
  readonly phase: 'create-params' | 'awaiting-mount' | 'mounted';
  /** fc->root's superblock: one s_active reference, held from FSCONFIG_CMD_CREATE until release. */
  readonly sb: SuperBlockId | null;
}

/** A struct file for one end of an AF_UNIX SOCK_STREAM socketpair. */
export interface SocketFile {
  readonly kind: 'socket';
  readonly id: FileId;
  readonly f_count: number; // file->f_count
  readonly peer: FileId | null; // unix_peer(sk); null once the peer was released
  /** sk_receive_queue: one entry per message, each the files in flight in its SCM_RIGHTS. */
  readonly receiveQueue: readonly (readonly FileId[])[];
  /** sk_err: set to ECONNRESET when the peer is released with data this end never read. */
  readonly sk_err: 'ECONNRESET' | null;
}

export type File = PathFile | SocketFile | FsContextFile;

/** struct mnt_namespace. */
export interface MntNamespace {
  readonly id: MntNsId;
  /** ns.ns_id (seq before 6.18): the order mnt_ns_loop() compares. 0 for anonymous namespaces. */
  readonly seq: number;
  readonly root: MountId; // ns->root
  readonly count: number; // ns.count: nsproxies + the nsfs inode + transient references
  readonly nr_mounts: number; // ns->nr_mounts
  readonly stashed: DentryId | null; // ns.stashed: the nsfs dentry, if one is alive
  readonly user_ns: UserNsId; // ns->user_ns
  readonly anon: boolean; // is_anon_ns()
  /** seq_origin: for an anonymous namespace, the seq of the namespace its tree was copied from. */
  readonly seq_origin: number;
}

/** Per-mount flags (mnt_flags and mnt_t_flags) that the model tracks. */
export interface MountFlags {
  readonly readonly: boolean; // MNT_READONLY
  readonly nosuid: boolean; // MNT_NOSUID
  readonly nodev: boolean; // MNT_NODEV
  readonly noexec: boolean; // MNT_NOEXEC
  readonly locked: boolean; // MNT_LOCKED: may not be separated from its parent
  readonly lockReadonly: boolean; // MNT_LOCK_READONLY: MNT_READONLY may not be cleared
  readonly lockNosuid: boolean; // MNT_LOCK_NOSUID
  readonly lockNodev: boolean; // MNT_LOCK_NODEV
  readonly lockNoexec: boolean; // MNT_LOCK_NOEXEC
}

/** struct mount. */
export interface Mount {
  readonly id: MountId; // mnt_id_unique
  readonly mnt_parent: MountId | null; // null where the kernel has mnt_parent == self
  readonly mnt_mountpoint: DentryId | null; // dentry in the parent it is mounted on
  readonly mnt_root: DentryId; // mnt.mnt_root
  readonly mnt_sb: SuperBlockId; // mnt.mnt_sb
  /** The namespace it is in; null when unmounted, detached or kernel-internal. */
  readonly mnt_ns: MntNsId | null;
  readonly internal: boolean; // MNT_INTERNAL with mnt_ns == MNT_NS_INTERNAL (kern_mount)
  readonly mnt_count: number; // mnt_get_count()
  readonly mnt_mounts: readonly MountId[]; // children, in the order they were attached
  readonly flags: MountFlags;
  readonly mnt_expiry_mark: boolean; // set by a first MNT_EXPIRE, cleared by mntput
  readonly mnt_group_id: PeerGroupId | null; // peer group; null when not shared
  readonly mnt_master: MountId | null; // master mount; null when not a slave
  readonly unbindable: boolean; // T_UNBINDABLE
}

export type FsType = 'rootfs' | 'tmpfs' | 'proc' | 'nsfs';

/** struct super_block. */
export interface SuperBlock {
  readonly id: SuperBlockId;
  readonly s_type: FsType; // s_type->name
  readonly s_active: number; // s_active
  readonly s_root: DentryId; // s_root
  readonly s_dev: number; // minor of the anonymous block device (0:N)
  readonly s_user_ns: UserNsId; // s_user_ns
  readonly sb_rdonly: boolean; // sb_rdonly(): SB_RDONLY in s_flags
}

interface DentryBase {
  readonly id: DentryId;
  readonly d_sb: SuperBlockId; // d_sb
  readonly d_parent: DentryId | null; // null for a filesystem root and for nsfs dentries
  readonly d_name: string; // d_name
  readonly unlinked: boolean; // d_unlinked(): removed by rmdir or unlink, still referenced
}

export interface DirDentry extends DentryBase {
  readonly kind: 'dir';
  readonly d_subdirs: Readonly<Record<string, DentryId>>; // children by name
}

export interface RegDentry extends DentryBase {
  readonly kind: 'reg';
}

/** The dentry of a namespace's nsfs inode (fs/nsfs.c); the inode owns one ns reference. */
export interface NsfsDentry extends DentryBase {
  readonly kind: 'nsfs';
  readonly ns: MntNsId; // inode->i_private
  readonly d_count: number; // d_lockref.count
  readonly i_ino: number; // ns.inum, shown in mountinfo as mnt:[i_ino]
}

export type Dentry = DirDentry | RegDentry | NsfsDentry;

/** struct mountpoint: exists while at least one mount sits on the dentry. */
export interface Mountpoint {
  readonly m_dentry: DentryId;
  readonly m_count: number; // number of mounts with this mountpoint
}

export interface UserNamespace {
  readonly id: UserNsId;
  readonly parent: UserNsId | null;
}

export interface Counters {
  readonly pid: number;
  readonly mount: number;
  readonly mntNs: number;
  readonly nsSeq: number;
  readonly userNs: number;
  readonly sb: number;
  readonly dev: number;
  readonly dentry: number;
  readonly ino: number;
  readonly file: number;
  readonly fsStruct: number;
  readonly filesStruct: number;
  readonly peerGroup: number;
}

export interface State {
  readonly tasks: Readonly<Record<TaskId, Task>>;
  readonly fsStructs: Readonly<Record<FsStructId, FsStruct>>;
  readonly filesStructs: Readonly<Record<FilesStructId, FilesStruct>>;
  readonly files: Readonly<Record<FileId, File>>;
  readonly mntNamespaces: Readonly<Record<MntNsId, MntNamespace>>;
  readonly userNamespaces: Readonly<Record<UserNsId, UserNamespace>>;
  readonly mounts: Readonly<Record<MountId, Mount>>;
  readonly superBlocks: Readonly<Record<SuperBlockId, SuperBlock>>;
  readonly dentries: Readonly<Record<DentryId, Dentry>>;
  readonly mountpoints: Readonly<Record<DentryId, Mountpoint>>;
  /** The kernel's long-term internal nsfs mount (nsfs_mnt); /proc/PID/ns/mnt resolves onto it. */
  readonly nsfsMnt: MountId;
  readonly next: Counters;
}

/** The mutable view of the state that apply steps receive from immer. */
export type Draft<T> = T extends number | string | boolean | null | undefined
  ? T
  : T extends readonly (infer E)[]
  ? Draft<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Draft<T[K]> }
    : T;
export type DraftState = Draft<State>;
