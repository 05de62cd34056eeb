// socketpair(2), sendmsg(2) and recvmsg(2) for AF_UNIX SOCK_STREAM sockets carrying SCM_RIGHTS.
// Mirrors net/unix/af_unix.c (unix_stream_connect's pairing, unix_stream_sendmsg,
// unix_stream_read_generic, unix_release_sock), net/core/scm.c (scm_fp_copy) and
// net/unix/garbage.c (unix_gc, run at the end of close and exit). A passed file is referenced by
// its message while in flight; closing a socket with files still queued on it drops them.
// Leaves out: data (one byte a message), other socket types, and MSG_PEEK.
import type { RecvmsgEvent, SendmsgEvent, SocketpairEvent } from '../events.js';
import type { Fd, FileId } from '../ids.js';
import { failure, success } from '../result.js';
import type { State } from '../state.js';
import { allocFileId, lowestFreeFd } from '../internal/alloc.js';
import { fget } from '../internal/refs.js';
import type { Checked } from './common.js';
import { currentTask, fdget, fdgetRaw } from './common.js';

/** SCM_MAX_FD: the most descriptors one SCM_RIGHTS message may carry. */
export const SCM_MAX_FD = 253;

/** net/socket.c: __sys_socketpair() -> unix_socketpair(). */
export function checkSocketpair(state: State, event: SocketpairEvent): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  return (draft) => {
    const first = allocFileId(draft);
    const second = allocFileId(draft);
    draft.files[first] = { kind: 'socket', id: first, f_count: 1, peer: second, receiveQueue: [], sk_err: null };
    draft.files[second] = { kind: 'socket', id: second, f_count: 1, peer: first, receiveQueue: [], sk_err: null };
    const table = draft.filesStructs[caller.task.files];
    if (table === undefined) return success(-1);
    const fd0 = lowestFreeFd(table.fdt);
    table.fdt[fd0] = first;
    const fd1 = lowestFreeFd(table.fdt);
    table.fdt[fd1] = second;
    return success(0, [fd0, fd1]);
  };
}

/** net/socket.c: ____sys_sendmsg() -> unix_stream_sendmsg() with an SCM_RIGHTS message. */
export function checkSendmsg(state: State, event: SendmsgEvent): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  // sockfd_lookup_light(): fdget()
  const socket = fdget(state, caller, event.fd);
  if (socket === null) return failure('EBADF', 'sockfd_lookup_light: bad file descriptor');
  if (socket.file.kind !== 'socket') return failure('ENOTSOCK', 'sock_from_file: not a socket');
  // __scm_send(): scm_fp_copy()
  if (event.fds.length > SCM_MAX_FD) return failure('EINVAL', 'scm_fp_copy: more than SCM_MAX_FD');
  const passed: FileId[] = [];
  for (const fd of event.fds) {
    const found = fdgetRaw(state, caller, fd); // fget_raw(): O_PATH files may be passed
    if (found === null) return failure('EBADF', 'scm_fp_copy: bad file descriptor');
    passed.push(found.id);
  }
  // unix_stream_sendmsg(): the peer has shut down (it was released)
  const peer = socket.file.peer;
  if (peer === null) return failure('EPIPE', 'unix_stream_sendmsg: peer shut down');
  return (draft) => {
    const receiver = draft.files[peer];
    if (receiver === undefined || receiver.kind !== 'socket') return success(-1);
    for (const file of passed) fget(draft, file); // the message holds each file while in flight
    receiver.receiveQueue.push(passed);
    return success(1);
  };
}

/** net/socket.c: ____sys_recvmsg() -> unix_stream_read_generic() with MSG_DONTWAIT. */
export function checkRecvmsg(state: State, event: RecvmsgEvent): Checked {
  const caller = currentTask(state, event.task);
  if ('ok' in caller) return caller;
  const socket = fdget(state, caller, event.fd);
  if (socket === null) return failure('EBADF', 'sockfd_lookup_light: bad file descriptor');
  if (socket.file.kind !== 'socket') return failure('ENOTSOCK', 'sock_from_file: not a socket');
  const id = socket.id;
  if (socket.file.receiveQueue.length === 0) {
    // unix_stream_read_generic(): nothing queued; a pending error is reported once (sock_error)
    if (socket.file.sk_err !== null) {
      const errno = socket.file.sk_err;
      return (draft) => {
        const file = draft.files[id];
        if (file !== undefined && file.kind === 'socket') file.sk_err = null;
        return failure(errno, 'unix_stream_read_generic: sock_error');
      };
    }
    // unix_stream_read_generic(): end of file once the peer is gone
    if (socket.file.peer === null) return () => success(0);
    return failure('EAGAIN', 'unix_stream_read_generic: no data (MSG_DONTWAIT)');
  }
  return (draft) => {
    const file = draft.files[id];
    const table = draft.filesStructs[caller.task.files];
    if (file === undefined || file.kind !== 'socket' || table === undefined) return success(-1);
    const message = file.receiveQueue.shift() ?? [];
    // scm_detach_fds(): each in-flight reference becomes a descriptor of the receiver
    const installed: Fd[] = [];
    for (const passed of message) {
      const fd = lowestFreeFd(table.fdt);
      table.fdt[fd] = passed;
      installed.push(fd);
    }
    return success(1, installed);
  };
}
