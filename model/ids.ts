// Branded ids. Each is a plain number at run time, allocated from a counter kept in the state, so
// the same trace always yields the same ids; the brand stops a mount id being used as a task id.

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** pid of a task (struct task_struct). */
export type TaskId = Brand<number, 'TaskId'>;
/** struct mount; also its mnt_id_unique (monotonic, never reused). */
export type MountId = Brand<number, 'MountId'>;
/** struct mnt_namespace, as a table key (its loop-order id is MntNamespace.seq). */
export type MntNsId = Brand<number, 'MntNsId'>;
/** struct user_namespace. */
export type UserNsId = Brand<number, 'UserNsId'>;
/** struct super_block. */
export type SuperBlockId = Brand<number, 'SuperBlockId'>;
/** struct dentry. */
export type DentryId = Brand<number, 'DentryId'>;
/** struct file. */
export type FileId = Brand<number, 'FileId'>;
/** struct fs_struct (root and cwd, shared under CLONE_FS). */
export type FsStructId = Brand<number, 'FsStructId'>;
/** struct files_struct (fd table, shared under CLONE_FILES). */
export type FilesStructId = Brand<number, 'FilesStructId'>;
/** mnt_group_id of a peer group. */
export type PeerGroupId = Brand<number, 'PeerGroupId'>;
/** A file descriptor number in one fd table. */
export type Fd = Brand<number, 'Fd'>;

export const taskId = (n: number): TaskId => n as TaskId;
export const mountId = (n: number): MountId => n as MountId;
export const mntNsId = (n: number): MntNsId => n as MntNsId;
export const userNsId = (n: number): UserNsId => n as UserNsId;
export const superBlockId = (n: number): SuperBlockId => n as SuperBlockId;
export const dentryId = (n: number): DentryId => n as DentryId;
export const fileId = (n: number): FileId => n as FileId;
export const fsStructId = (n: number): FsStructId => n as FsStructId;
export const filesStructId = (n: number): FilesStructId => n as FilesStructId;
export const peerGroupId = (n: number): PeerGroupId => n as PeerGroupId;
export const fd = (n: number): Fd => n as Fd;
