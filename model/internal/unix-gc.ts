// net/unix/garbage.c: unix_gc(). A socket whose every file reference is a message in flight, and
// which no live socket's receive queue can reach, is garbage: its queue is purged, which releases
// the cycle. Run at the end of every close and exit, so in-flight cycles never outlive the event.
// The kernel collects later: only when some unix socket is released (unix_release_sock ->
// unix_schedule_gc, which on 6.10+ runs the collection from a workqueue). Until then a cycle made
// garbage by closing a non-final fd keeps the files in flight on it, and their mounts stay busy
// for umount2; the model does not reproduce that window, whose length the kernel does not fix.
import type { FileId } from '../ids.js';
import type { ModelOptions } from '../options.js';
import type { DraftState } from '../state.js';
import { fput } from './refs.js';
import { scanImmutable } from './tables.js';

export function unixGc(draft: DraftState, opts: ModelOptions): void {
  const socketIds = scanImmutable(draft.files, (file) => file.kind === 'socket');
  if (socketIds.length === 0) return;
  const sockets = socketIds.flatMap((id) => {
    const file = draft.files[id];
    return file !== undefined && file.kind === 'socket' ? [file] : [];
  });
  const inflight = new Map<FileId, number>();
  for (const socket of sockets) {
    for (const message of socket.receiveQueue) {
      for (const file of message) inflight.set(file, (inflight.get(file) ?? 0) + 1);
    }
  }
  // Candidates: sockets held only by messages in flight.
  const candidates = new Set<FileId>(
    sockets.filter((socket) => inflight.get(socket.id) === socket.f_count).map((socket) => socket.id),
  );
  // Anything reachable from a socket that is not a candidate is alive.
  const stack = sockets.filter((socket) => !candidates.has(socket.id)).map((socket) => socket.id);
  while (stack.length > 0) {
    const id = stack.pop() as FileId;
    const socket = draft.files[id];
    if (socket === undefined || socket.kind !== 'socket') continue;
    for (const message of socket.receiveQueue) {
      for (const file of message) {
        if (candidates.delete(file)) stack.push(file);
      }
    }
  }
  for (const id of candidates) {
    const socket = draft.files[id];
    if (socket === undefined || socket.kind !== 'socket') continue;
    const queue = socket.receiveQueue;
    socket.receiveQueue = [];
    for (const message of queue) for (const file of message) fput(draft, file, opts);
  }
}
