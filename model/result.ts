// A syscall's result: a return value, or a named errno together with the name of the kernel check
// that produced it (so two checks failing with the same errno stay distinguishable).
import type { Errno } from './errno.js';
import type { Fd } from './ids.js';

export interface Success {
  readonly ok: true;
  readonly value: number;
  /** fds created by the call, for socketpair(2) and recvmsg(2) with SCM_RIGHTS. */
  readonly fds?: readonly Fd[];
}

export interface Failure {
  readonly ok: false;
  readonly errno: Errno;
  /** The kernel check that failed, e.g. "do_umount: propagate_mount_busy". */
  readonly check: string;
}

export type Result = Success | Failure;

export const success = (value: number, fds?: readonly Fd[]): Success =>
  fds === undefined ? { ok: true, value } : { ok: true, value, fds };

export const failure = (errno: Errno, check: string): Failure => ({ ok: false, errno, check });

export function isFailure(x: unknown): x is Failure {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false;
}

export function formatResult(result: Result): string {
  if (!result.ok) return `-1 ${result.errno} (${result.check})`;
  return result.fds === undefined ? String(result.value) : `${result.value} [${result.fds.join(', ')}]`;
}
