// socketpair(2), sendmsg(2) and recvmsg(2) with SCM_RIGHTS on AF_UNIX stream sockets
// (net/unix/af_unix.c unix_stream_sendmsg, unix_stream_read_generic, unix_release_sock;
// net/core/scm.c scm_fp_copy, scm_detach_fds; net/unix/garbage.c unix_gc): files in flight keep
// their references, released sockets drop what is queued on them, unreachable cycles are collected.
import { describe, expect, it } from 'vitest';
import type { Event, Fd, SocketFile, TaskId } from '../index.js';
import { INIT, Run, close, fdOf, fdt, file, mntCount, open, task } from '../test-helpers.js';

const CHILD = task(2);
const socketpair = (actor: TaskId = INIT): Event => ({ type: 'socketpair', task: actor });
const sendmsg = (fd: number, fds: number[] = [], actor: TaskId = INIT): Event =>
  ({ type: 'sendmsg', task: actor, fd: fdOf(fd), fds: fds.map(fdOf) });
const recvmsg = (fd: number, actor: TaskId = INIT): Event => ({ type: 'recvmsg', task: actor, fd: fdOf(fd) });
const socket = (run: Run, id: number): SocketFile | undefined => {
  const found = file(run, id);
  return found?.kind === 'socket' ? found : undefined;
};

/** The fds a successful call created (socketpair, recvmsg). */
function fdsOf(run: Run, event: Event): readonly Fd[] | undefined {
  const result = run.do(event);
  if (!result.ok) throw new Error(`${event.type} failed: ${result.errno} (${result.check})`);
  return result.fds;
}

/** A socketpair on fds 3 (file 1) and 4 (file 2), and /tmp open on fd 5 (file 3). */
function withPairAndFile(): Run {
  const run = new Run();
  run.ok(socketpair());
  expect(run.ok(open('/tmp'))).toBe(5);
  return run;
}

describe('socketpair(2)', () => {
  it('makes two connected sockets on the two lowest free fds', () => {
    const run = new Run();
    run.ok(open('/tmp'));
    run.ok(open('/mnt'));
    run.ok(close(3));
    expect(fdsOf(run, socketpair())).toEqual([3, 5]);
    expect(file(run, 3)).toEqual({ kind: 'socket', id: 3, f_count: 1, peer: 4, receiveQueue: [], sk_err: null });
    expect(file(run, 4)).toEqual({ kind: 'socket', id: 4, f_count: 1, peer: 3, receiveQueue: [], sk_err: null });
    expect(fdt(run)).toEqual({ 3: 3, 4: 2, 5: 4 });
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = new Run();
    expect(run.fails(socketpair(task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('sendmsg(2)', () => {
  it('queues the message on the peer; a passed file is referenced while in flight and outlives its fd', () => {
    const run = withPairAndFile();
    expect(run.ok(sendmsg(3, [5]))).toBe(1);
    expect(file(run, 2)).toMatchObject({ receiveQueue: [[3]] });
    expect(file(run, 3)?.f_count).toBe(2);
    run.ok(close(5));
    expect(file(run, 3)?.f_count).toBe(1);
    expect(mntCount(run, 2)).toBe(4); // tree + root + cwd + the file in flight
    run.sound();
  });
  it('passes O_PATH files (fget_raw), sockets, and the same fd twice as two references', () => {
    const run = withPairAndFile();
    run.ok({ type: 'open', task: INIT, path: '/proc/1/ns/mnt', flags: ['O_PATH'] }); // fd 6, file 4
    run.ok(sendmsg(4, [6, 3, 5, 5]));
    expect(socket(run, 1)?.receiveQueue).toEqual([[4, 1, 3, 3]]);
    expect([file(run, 4)?.f_count, file(run, 1)?.f_count, file(run, 3)?.f_count]).toEqual([2, 2, 3]);
    expect(fdsOf(run, recvmsg(3))).toEqual([7, 8, 9, 10]);
    expect(file(run, 4)).toMatchObject({ fmodePath: true }); // the received fd is still O_PATH
    run.sound();
  });
  it('carries at most SCM_MAX_FD (253) descriptors; one more fails EINVAL at scm_fp_copy', () => {
    const run = withPairAndFile();
    expect(run.fails(sendmsg(3, Array<number>(254).fill(5)), 'EINVAL')).toMatch(/scm_fp_copy: more than SCM_MAX_FD/);
    run.ok(sendmsg(3, Array<number>(253).fill(5)));
    expect(file(run, 3)?.f_count).toBe(254);
    run.sound();
  });
  it('on a closed fd or an O_PATH fd fails EBADF at sockfd_lookup_light (fdget)', () => {
    const run = withPairAndFile();
    expect(run.fails(sendmsg(9), 'EBADF')).toMatch(/sockfd_lookup_light/);
    run.ok({ type: 'open', task: INIT, path: '/tmp', flags: ['O_PATH'] });
    expect(run.fails(sendmsg(6), 'EBADF')).toMatch(/sockfd_lookup_light/);
    run.sound();
  });
  it('on a file that is not a socket fails ENOTSOCK at sock_from_file', () => {
    const run = withPairAndFile();
    expect(run.fails(sendmsg(5, [3]), 'ENOTSOCK')).toMatch(/sock_from_file/);
    run.sound();
  });
  it('passing a closed fd fails EBADF at scm_fp_copy, and nothing is queued', () => {
    const run = withPairAndFile();
    expect(run.fails(sendmsg(3, [5, 9]), 'EBADF')).toMatch(/scm_fp_copy: bad file descriptor/);
    expect(file(run, 3)?.f_count).toBe(1);
    run.sound();
  });
  it('after the peer was closed fails EPIPE, after the SCM_RIGHTS checks (scm_send comes first)', () => {
    const run = withPairAndFile();
    run.ok(close(4));
    expect(socket(run, 1)?.peer).toBeNull();
    expect(run.fails(sendmsg(3, [5]), 'EPIPE')).toMatch(/unix_stream_sendmsg: peer shut down/);
    expect(run.fails(sendmsg(3, [9]), 'EBADF')).toMatch(/scm_fp_copy/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = withPairAndFile();
    expect(run.fails(sendmsg(3, [], task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('recvmsg(2)', () => {
  it('installs the received files lowest fd first, in message order, taking over the in-flight reference', () => {
    const run = withPairAndFile();
    run.ok(open('/mnt')); // fd 6, file 4
    run.ok(open('/proc')); // fd 7, file 5
    run.ok(sendmsg(3, [7, 5]));
    run.ok(close(5));
    run.ok(close(7));
    expect(fdsOf(run, recvmsg(4))).toEqual([5, 7]);
    expect(fdt(run)).toEqual({ 3: 1, 4: 2, 5: 5, 6: 4, 7: 3 });
    expect([file(run, 5)?.f_count, file(run, 3)?.f_count]).toEqual([1, 1]);
    expect(socket(run, 2)?.receiveQueue).toEqual([]);
    run.sound();
  });
  it('reads messages in the order they were sent, one per call', () => {
    const run = withPairAndFile();
    run.ok(sendmsg(3));
    run.ok(sendmsg(3, [5]));
    expect(fdsOf(run, recvmsg(4))).toEqual([]);
    expect(fdsOf(run, recvmsg(4))).toEqual([6]);
    expect(file(run, 3)?.f_count).toBe(2);
    run.sound();
  });
  it('moves a file into another task\'s fd table', () => {
    const run = withPairAndFile();
    run.ok({ type: 'clone', task: INIT, flags: [] });
    run.ok(close(3, CHILD));
    run.ok(close(5, CHILD));
    run.ok(close(4));
    run.ok(sendmsg(3, [5]));
    run.ok(close(5));
    expect(fdsOf(run, recvmsg(4, CHILD))).toEqual([3]);
    expect(fdt(run, CHILD)).toEqual({ 3: 3, 4: 2 });
    expect(fdt(run)).toEqual({ 3: 1 });
    run.sound();
  });
  it('on an empty queue fails EAGAIN (MSG_DONTWAIT)', () => {
    const run = withPairAndFile();
    const before = run.state;
    expect(run.fails(recvmsg(4), 'EAGAIN')).toMatch(/unix_stream_read_generic: no data/);
    expect(run.state).toBe(before);
    run.sound();
  });
  it('after the peer was closed delivers what is queued, then returns 0 (end of file)', () => {
    const run = withPairAndFile();
    run.ok(sendmsg(3, [5]));
    run.ok(close(3));
    expect(fdsOf(run, recvmsg(4))).toEqual([3]); // the fd the closed socket left free
    expect(run.ok(recvmsg(4))).toBe(0);
    expect(run.ok(recvmsg(4))).toBe(0);
    run.sound();
  });
  // unix_release_sock() sets ECONNRESET on the survivor when the released socket still had unread
  // data; the next read of an empty queue returns it once (sock_error). The model returns 0 and
  // has no ECONNRESET in its Errno union.
  it('after the peer was closed with unread data fails ECONNRESET once (sock_error), then reads end of file', () => {
    const run = withPairAndFile();
    run.ok(sendmsg(4)); // unread by socket 3
    run.ok(close(3));
    expect(run.fails(recvmsg(4), 'ECONNRESET')).toMatch(/sock_error/);
    expect(run.ok(recvmsg(4))).toBe(0);
    run.sound();
  });
  it('on a closed fd fails EBADF, on a file that is not a socket ENOTSOCK', () => {
    const run = withPairAndFile();
    expect(run.fails(recvmsg(9), 'EBADF')).toMatch(/sockfd_lookup_light/);
    expect(run.fails(recvmsg(5), 'ENOTSOCK')).toMatch(/sock_from_file/);
    run.sound();
  });
  it('by a task that does not exist fails ESRCH', () => {
    const run = withPairAndFile();
    expect(run.fails(recvmsg(4, task(9)), 'ESRCH')).toMatch(/find_task_by_vpid/);
    run.sound();
  });
});

describe('releasing sockets with files in flight', () => {
  it('closing the receiving socket drops the files queued on it (unix_release_sock)', () => {
    const run = withPairAndFile();
    run.ok(sendmsg(3, [5]));
    run.ok(close(5));
    run.ok(close(4));
    expect([file(run, 2), file(run, 3)]).toEqual([undefined, undefined]);
    expect(mntCount(run, 2)).toBe(3);
    expect(socket(run, 1)?.peer).toBeNull();
    run.sound();
  });
  it('a socket sent over its own connection stays alive while its peer has an fd, and goes with the peer', () => {
    const run = withPairAndFile();
    run.ok(sendmsg(3, [3])); // socket 1 in flight on socket 2
    run.ok(close(3));
    expect(file(run, 1)?.f_count).toBe(1); // reachable from socket 2, which has an fd: not garbage
    run.ok(close(4));
    expect(run.state.files).toEqual({ 3: file(run, 3) });
    run.sound();
  });
  it('a socket queued on itself and closed is collected by unix_gc, with the files in flight on it', () => {
    const run = withPairAndFile();
    run.ok(sendmsg(3, [4, 5])); // socket 2 and /tmp in socket 2's own queue
    run.ok(close(5));
    run.ok(close(4));
    expect([file(run, 2), file(run, 3)]).toEqual([undefined, undefined]);
    expect(socket(run, 1)?.peer).toBeNull();
    expect(mntCount(run, 2)).toBe(3);
    run.sound();
  });
  it('a cycle of two sockets queued on each other is collected once both fds are closed', () => {
    const run = withPairAndFile();
    run.ok(sendmsg(3, [3, 5]));
    run.ok(sendmsg(4, [4]));
    run.ok(close(5));
    run.ok(close(3));
    expect(file(run, 1)?.f_count).toBe(1); // still reachable from socket 2's fd
    run.ok(close(4));
    expect(run.state.files).toEqual({});
    expect(mntCount(run, 2)).toBe(3);
    run.sound();
  });
  it('unix_gc keeps an in-flight socket reachable from a socket that still has an fd', () => {
    const run = withPairAndFile();
    run.ok(socketpair()); // fds 6 and 7, files 4 and 5
    run.ok(sendmsg(3, [7]));
    run.ok(close(7));
    expect(file(run, 5)).toMatchObject({ f_count: 1, peer: 4 });
    expect(fdsOf(run, recvmsg(4))).toEqual([7]);
    run.ok(sendmsg(7));
    expect(socket(run, 4)?.receiveQueue).toEqual([[]]);
    run.sound();
  });
});
