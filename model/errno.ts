// The errno values the model can return: a closed union, spelled as in errno(3).

export const ERRNOS = [
  'EPERM',
  'ENOENT',
  'ESRCH',
  'EBADF',
  'EAGAIN',
  'EACCES',
  'EBUSY',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'EINVAL',
  'EMFILE',
  'ENOSPC',
  'ELOOP',
  'ENOTEMPTY',
  'EROFS',
  'ENOTSOCK',
  'ENXIO',
  'ENODEV',
  'EPIPE',
  'ENOTCONN',
  'ECONNRESET',
  'E2BIG',
] as const;

export type Errno = (typeof ERRNOS)[number];

export function isErrno(name: string): name is Errno {
  return (ERRNOS as readonly string[]).includes(name);
}
