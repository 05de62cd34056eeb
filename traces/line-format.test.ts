import { describe, expect, it } from 'vitest';
import { parseTrace, printTrace } from './line-format.js';
import { TraceError } from './trace.js';

const HEAD = 'mntns-trace 2\nprofile linux-6.18\n\n';

function error(text: string): string {
  try {
    parseTrace(text, 't.trace');
  } catch (caught) {
    expect(caught).toBeInstanceOf(TraceError);
    return (caught as TraceError).message;
  }
  throw new Error('the trace was accepted');
}

describe('the line format', () => {
  it('reads a hand-written trace with comments, blank lines, indentation and steps without results', () => {
    const trace = parseTrace(
      [
        '# made by hand',
        '  mntns-trace 2',
        'seed -7',
        '',
        '   # the mounts',
        '[pid 1] mount(NULL, "/", NULL, MS_SHARED|MS_REC)\r',
        '[pid 1] umount2("/mnt", MNT_DETACH|UMOUNT_NOFOLLOW) = -1 EINVAL (do_umount: path_mounted (not a mount root))',
        '[pid 2] open("/proc/1/ns/mnt", O_RDONLY) = 3',
        '[pid 2] setns(3, CLONE_NEWNS) = 0',
        '    ! no-leak: mount 7 is allocated but unreachable @ mount:7',
        '    ! model-total: the model threw: boom',
      ].join('\n'),
      't.trace',
    );
    expect(trace).toMatchObject({ version: 2, profile: 'linux-6.18', seed: -7, bug: null, origin: null });
    expect(trace.steps.map((step) => step.result)).toEqual([
      null,
      { ok: false, errno: 'EINVAL', check: 'do_umount: path_mounted (not a mount root)' },
      { ok: true, value: 3 },
      { ok: true, value: 0 },
    ]);
    expect(trace.steps[0]?.event).toEqual({ type: 'mount', task: 1, source: null, target: '/', fstype: null, flags: ['MS_SHARED', 'MS_REC'] });
    expect(trace.steps[3]?.violations).toEqual([
      { invariant: 'no-leak', objects: [{ kind: 'mount', id: 7 }], message: 'mount 7 is allocated but unreachable' },
      { invariant: 'model-total', objects: [], message: 'the model threw: boom' },
    ]);
    expect(trace.steps[2]?.violations).toEqual([]);
  });

  it('prints the header, a blank line, then one line per event and one per violation', () => {
    const text = `${HEAD}[pid 1] clone(SIGCHLD) = 2\n  ! no-leak: m @ mount:1 task:2\n[pid 2] exit(0)\n`;
    expect(printTrace(parseTrace(text, 't.trace'))).toBe(text);
  });

  it('keeps a message that ends like an object list apart from the objects', () => {
    const text = `${HEAD}[pid 1] exit(0) = 0\n  ! no-leak: see @ mount:5 @\n  ! no-leak: x @ mount:5 @ task:1\n`;
    const trace = parseTrace(text, 't.trace');
    expect(trace.steps[0]?.violations).toEqual([
      { invariant: 'no-leak', objects: [], message: 'see @ mount:5' },
      { invariant: 'no-leak', objects: [{ kind: 'task', id: 1 }], message: 'x @ mount:5' },
    ]);
    expect(printTrace(trace)).toBe(text);
  });
});

describe('a mistake in a line-format trace is one line naming file:line and the fix', () => {
  it.each([
    ['an unknown event', `${HEAD}[pid 1] frob("/mnt")`, /^t\.trace:4: unknown event "frob"; known events: clone, unshare, .*mount_setattr$/],
    ['an unknown flag', `${HEAD}[pid 1] umount2("/mnt", MNT_LAZY)`, /^t\.trace:4: umount2: unknown flag "MNT_LAZY"; known: MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW \(0 for none\)$/],
    ['an unknown clone flag', `${HEAD}[pid 1] clone(CLONE_NEWPID)`, /^t\.trace:4: clone: unknown flag "CLONE_NEWPID"; known: CLONE_NEWNS, .* \(SIGCHLD for none\)$/],
    ['open without O_RDONLY', `${HEAD}[pid 1] open("/", O_PATH)`, /^t\.trace:4: open: flags must start with O_RDONLY/],
    ['a bad number', `${HEAD}[pid 1] close(three)`, /^t\.trace:4: close: fd must be a whole number from 0 to 2147483648, not three; write it in decimal$/],
    ['a huge number', `${HEAD}[pid 1] close(99999999999999999999)`, /^t\.trace:4: close: fd must be a whole number/],
    ['a bad pid', `${HEAD}[pid x] close(3)`, /^t\.trace:4: an event line starts with "\[pid N\] "/],
    ['a missing quote', `${HEAD}[pid 1] mkdir("/mnt/a, 0755)`, /^t\.trace:4: mkdir: a quoted string has no closing quote; close it with "$/],
    ['an unquoted path', `${HEAD}[pid 1] rmdir(/mnt/a)`, /^t\.trace:4: rmdir: path must be a quoted string such as "\/mnt", not \/mnt\/a; put it in double quotes$/],
    ['a bad dirfd', `${HEAD}[pid 1] open_tree(CWD, "/", 0)`, /^t\.trace:4: open_tree: dfd must be AT_FDCWD or an fd, not CWD; write one of them$/],
    ['a missing parenthesis', `${HEAD}[pid 1] close(3`, /^t\.trace:4: close: the call has no closing "\)"/],
    ['a wrong argument count', `${HEAD}[pid 1] umount2("/mnt")`, /^t\.trace:4: umount2 takes 2 arguments, not 1; write umount2\("target", flags\|0\)$/],
    ['a wrong constant', `${HEAD}[pid 1] mkdir("/mnt/a", 0700)`, /^t\.trace:4: mkdir: this argument is always 0755 in the model, not 0700; write 0755$/],
    ['a bad attr struct', `${HEAD}[pid 1] mount_setattr(AT_FDCWD, "/", 0, {attr_set=0, attr_clr=0})`, /^t\.trace:4: mount_setattr: the attr struct lacks propagation/],
    ['an unknown propagation', `${HEAD}[pid 1] mount_setattr(AT_FDCWD, "/", 0, {attr_set=0, attr_clr=0, propagation=MS_PEER})`, /unknown propagation "MS_PEER"/],
    ['a bad return value', `${HEAD}[pid 1] close(3) = ok`, /^t\.trace:4: bad return value "ok"; write = N, = N \[fd, \.\.\.\] or = -1 ERRNO \(check\)$/],
    ['a bad fd list', `${HEAD}[pid 1] socketpair(AF_UNIX, SOCK_STREAM, 0) = 0 [3, -4]`, /^t\.trace:4: bad fd list \[3, -4\] in the return value; list whole numbers up to 2147483648, as in = 0 \[3, 4\]$/],
    ['an unknown errno', `${HEAD}[pid 1] close(3) = -1 EWHAT (close_fd: x)`, /^t\.trace:4: unknown errno "EWHAT"; known: EPERM, /],
    ['a failure without its check', `${HEAD}[pid 1] close(3) = -1 EBADF`, /^t\.trace:4: a failure needs the failing check in parentheses/],
    ['text after the call', `${HEAD}[pid 1] close(3) 0`, /^t\.trace:4: unexpected text after the call: 0;/],
    ['a header after events', `${HEAD}[pid 1] close(3)\nseed 4`, /^t\.trace:5: header "seed" after the first event \(line 4\); move it above the events$/],
    ['a repeated header', 'mntns-trace 2\nseed 1\nseed 2\n', /^t\.trace:3: header "seed" given twice \(first on line 2\); keep one$/],
    ['an unknown header', 'mntns-trace 2\nkernel 6.18\n', /^t\.trace:2: unknown header "kernel"; known: profile, seed, bug, origin$/],
    ['an event without its pid', 'mntns-trace 2\nclose(3)\n', /^t\.trace:2: unknown header "close\(3\)"; known: profile, seed, bug, origin \(an event line starts with "\[pid N\] "\)$/],
    ['a bad seed', 'mntns-trace 2\nseed 1.5\n', /^t\.trace:2: bad seed "1\.5"; a seed is a whole number such as 20261121$/],
    ['a header without a value', 'mntns-trace 2\norigin\n', /^t\.trace:2: "origin" needs a value;/],
    ['a missing version line', 'profile linux-6.18\n', /^t\.trace:1: not an mntns trace: the first line of a trace is "mntns-trace 2"; add it$/],
    ['a garbled version line', '# made by hand\nmntns-trace two\n', /^t\.trace:2: garbled version line "mntns-trace two"; the first line of a trace is "mntns-trace 2"$/],
    ['an empty file', '\n# nothing\n', /^t\.trace:1: empty trace; the first line of a trace is "mntns-trace 2"$/],
    ['the JSON form', '{"format": "mntns-trace"}', /^t\.trace:1: this looks like the JSON form of a trace; name the file \*\.json/],
    ['a newer version', 'mntns-trace 3\n', /^t\.trace:1: this trace was written by a newer mntns \(format 3, this one reads up to 2\); upgrade mntns$/],
    ['version 1', 'mntns-trace 1\n', /^t\.trace:1: format 1 has no line form \(version-1 traces are JSON files\)/],
    ['an unknown seeded bug', 'mntns-trace 2\nbug no-such-bug\n', /^t\.trace:2: unknown seeded bug "no-such-bug"; known: copy-mnt-ns-keeps-nsfs, .*change-type-on-detached \(see mntns mutants\)$/],
    ['an unknown invariant', `${HEAD}[pid 1] close(3) = 0\n  ! no-such-rule: broken`, /^t\.trace:5: unknown invariant "no-such-rule"; known: no-mnt-ns-loop, refcounts-sound, .*model-total$/],
    ['an unknown object kind', `${HEAD}[pid 1] close(3) = 0\n  ! no-leak: m @ inode:4`, /^t\.trace:5: unknown object kind "inode" in inode:4; known: task, /],
    ['a garbled violation line', `${HEAD}[pid 1] close(3) = 0\n  ! no-leak`, /^t\.trace:5: a violation line reads "! invariant: message @ kind:id \.\.\."/],
    ['a violation before any event', `${HEAD}  ! no-leak: m`, /^t\.trace:4: a "!" line before any event; put each violation under the event line it belongs to$/],
    ['a violation under an unrecorded result', `${HEAD}[pid 1] close(3)\n  ! no-leak: m`, /^t\.trace:5: a "!" line under an event with no recorded result \(line 4\)/],
  ])('%s', (_what, text, message) => {
    const got = error(text);
    expect(got).toMatch(message);
    expect(got).not.toContain('\n');
  });
});
