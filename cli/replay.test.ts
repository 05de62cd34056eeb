// mntns replay as a user meets it: printed steps, mismatches, trees and holders, the interactive
// prompt on piped stdin, and --break-at stopping in a real debugger (node's built-in `node inspect`).
// Runs the built CLI (npm test builds before testing).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

function mntns(args: readonly string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...(input === undefined ? {} : { input }) });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const MKDIR = { event: { type: 'mkdir', task: 1, path: '/mnt/a' }, result: { ok: true, value: 0 } };
const MOUNT = { event: { type: 'mount', task: 1, source: 'none', target: '/mnt/a', fstype: 'tmpfs', flags: [] }, result: { ok: true, value: 0 } };
const OPEN = { event: { type: 'open', task: 1, path: '/mnt/a', flags: ['O_PATH'] }, result: { ok: true, value: 3 } };

/** A version 1 trace file of the given steps. */
function traceFile(steps: readonly unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'mntns-replay-'));
  const path = join(dir, 'trace.json');
  writeFileSync(path, JSON.stringify({ format: 'mntns-trace', version: 1, profile: 'linux-6.18', seed: null, bug: null, steps, violations: [] }));
  return path;
}

/** Talk to a child process line by line: send a command, wait until its output since then matches. */
function drive(child: ChildProcessWithoutNullStreams) {
  let output = '';
  let mark = 0;
  const waiters: { pattern: RegExp; from: number; resolve: (text: string) => void }[] = [];
  const settle = (): void => {
    for (const waiter of [...waiters]) {
      const text = output.slice(waiter.from);
      if (waiter.pattern.test(text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  };
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    settle();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    output: (): string => output,
    until: (pattern: RegExp): Promise<string> =>
      new Promise((resolve) => {
        waiters.push({ pattern, from: mark, resolve });
        settle();
      }),
    send: (command: string): void => {
      mark = output.length;
      child.stdin.write(`${command}\n`);
    },
    close: async (): Promise<void> => {
      child.stdin.end();
      const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('open'), 10_000))]);
      if (outcome === 'open') child.kill();
    },
  };
}

describe('mntns replay', () => {
  it('prints every step with what it changed and the verdict, and exits 0 when all matches and held', () => {
    const run = mntns(['replay', traceFile([MKDIR, MOUNT, OPEN])]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('   2  [pid 1] mount("none", "/mnt/a", "tmpfs", 0) = 0\n        mount namespace 1: nr_mounts 3 -> 4\n        mount 5 added on /mnt/a in namespace 1 (tmpfs)');
    expect(run.stdout).toContain('        mount 5: mnt_count 1 -> 2');
    expect(run.stdout.match(/invariants: every one held/g)).toHaveLength(3);
    expect(run.stdout).toMatch(/every result matches the recording; every invariant held\n$/);
  });

  it('marks a result that differs from the recording as a MISMATCH and exits 1', () => {
    const run = mntns(['replay', traceFile([MKDIR, { ...MKDIR, result: { ok: true, value: 0 } }])]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ {3}2 {2}\[pid 1\] mkdir\("\/mnt\/a", 0755\) = -1 EEXIST \([^)]*\)\n {8}MISMATCH: recorded = 0\n/);
    expect(run.stdout).toMatch(/1 result\(s\) differ from the recording/);
  });

  it('reports the same errno from another check apart from a mismatch, and still exits 0', () => {
    const run = mntns(['replay', traceFile([MKDIR, { ...MKDIR, result: { ok: false, errno: 'EEXIST', check: 'an older check' } }])]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('same errno, other check: recorded = -1 EEXIST (an older check)');
    expect(run.stdout).not.toContain('MISMATCH');
  });

  it('--trees draws every namespace after each step and --refs names the holders', () => {
    const run = mntns(['replay', traceFile([MKDIR, MOUNT, OPEN]), '--trees', '--refs', 'mount:5']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/└─\/mnt\/a +0:5 +tmpfs +5 +private +rw/);
    expect(run.stdout).toContain('        mount 5 does not exist in this state');
    expect(run.stdout).toContain('        mount 5 is held by: the tree of namespace 1 — taken at step 2');
    expect(run.stdout).toContain('        mount 5 is held by: fd 3 of task 1 (file 1), the tree of namespace 1 — taken at steps 2, 3');
  });

  it.each([
    [['--refs', 'mount'], /--refs takes KIND:ID/],
    [['--break-at', '9'], /--break-at must be between 1 and 3, not 9/],
    [['--interactive', '--no-interactive'], /exclude each other/],
  ])('%j is bad input: one line on stderr and exit 2', (args, message) => {
    const run = mntns(['replay', traceFile([MKDIR, MOUNT, OPEN]), ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--interactive walks the trace from piped stdin: next, back, goto, diff, tree, refs, why, hints', () => {
    const session = ['n', 'n', 'diff', 'b', 'g 3', 'refs mount:5', 'why mount:5', 'tree', 'g x', 'frob', 'show', 'q'].join('\n');
    const run = mntns(['replay', traceFile([MKDIR, MOUNT, OPEN]), '--interactive'], `${session}\n`);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('replay 0/3>    1  [pid 1] mkdir("/mnt/a", 0755) = 0');
    expect(out).toContain('replay 2/3> mount namespace 1: nr_mounts 3 -> 4\nmount 5 added on /mnt/a in namespace 1 (tmpfs)');
    expect(out).toContain('replay 2/3> back to:\n   1  [pid 1] mkdir');
    expect(out).toContain('replay 1/3>    3  [pid 1] open("/mnt/a", O_RDONLY|O_PATH) = 3');
    expect(out).toContain('replay 3/3> mount 5 is held by: fd 3 of task 1 (file 1), the tree of namespace 1 — taken at steps 2, 3');
    expect(out).toContain('replay 3/3> mount 5 is alive because: task 1 -> (its files) files_struct 1 -> (an fd) file 1 -> (its path) mount 5');
    expect(out).toMatch(/replay 3\/3> mount namespace 1 \(seq 1, 4 mounts, count 1\)\n {2}TARGET/);
    expect(out).toContain('replay 3/3> goto takes a step number from 0 to 3, e.g. g 3');
    expect(out).toContain('replay 3/3> unknown command "frob"; type help for the commands');
  });

  it('--break-at 2 stops in the debugger at the debugger statement before step 2, with its event in scope', async () => {
    const file = traceFile([MKDIR, MOUNT, OPEN]);
    const debug = drive(spawn(process.execPath, ['inspect', CLI, 'replay', file, '--break-at', '2', '--no-interactive']));
    try {
      await debug.until(/Break on start[\s\S]*debug> $/);
      debug.send('cont');
      const stop = await debug.until(/break in [^\n]*history\.js:\d+[\s\S]*debug> $/);
      expect(stop).toMatch(/> *\d+ +debugger;/);
      expect(stop).toMatch(/Step into step\(\) below/);
      debug.send('exec event.type');
      expect(await debug.until(/'[a-z_]+'\s*\n[\s\S]*debug> $/)).toMatch(/'mount'/);
      debug.send('exec event.target');
      expect(await debug.until(/'\/mnt\/a'/)).toMatch(/'\/mnt\/a'/);
      debug.send('cont');
      expect(await debug.until(/every result matches the recording/)).toMatch(/ {3}3 {2}\[pid 1\] open/);
      debug.send('.exit');
    } finally {
      await debug.close();
    }
    expect(debug.output()).not.toMatch(/break in [^\n]*history\.js[\s\S]*break in [^\n]*history\.js/); // stops once
  });

  it('--break-at without a debugger opens the inspector, says where to connect, and waits for one', async () => {
    const file = traceFile([MKDIR, MOUNT, OPEN]);
    const replay = drive(spawn(process.execPath, [CLI, 'replay', file, '--break-at', '1', '--no-interactive']));
    let debug: ReturnType<typeof drive> | null = null;
    try {
      const waiting = await replay.until(/waiting for a debugger on ws:\/\/127\.0\.0\.1:\d+\/\S+\n[\s\S]*chrome:\/\/inspect[\s\S]*history\.ts\n/);
      expect(waiting).toMatch(/VS Code: run the "Attach to mntns replay" configuration/);
      expect(replay.output()).not.toMatch(/ {3}1 {2}\[pid 1\]/); // nothing applied before a debugger attaches
      const port = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(waiting)?.[1] ?? '';
      debug = drive(spawn(process.execPath, ['inspect', `127.0.0.1:${port}`]));
      // attaching releases waitForDebugger(); the replay runs on to the debugger statement
      const stop = await debug.until(/break in [^\n]*history\.js:\d+[\s\S]*debug> $/);
      expect(stop).toMatch(/> *\d+ +debugger;/);
      debug.send('exec event.type');
      expect(await debug.until(/'[a-z_]+'\s*\n[\s\S]*debug> $/)).toMatch(/'mkdir'/);
      debug.send('cont');
      expect(await replay.until(/every result matches the recording/)).toBeTruthy();
      debug.send('.exit');
    } finally {
      await debug?.close();
      await replay.close();
    }
  });
});
