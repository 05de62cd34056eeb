// Running dist/oracle/harness: whether it can run here, and one replay of a list of events, parsed
// into one record per step (the result, the namespace of every live task, the mountinfo lines of
// one task per namespace).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Event } from '../model/index.js';
import { harnessCommand } from './commands.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = basename(dirname(here)) === 'dist' ? join(here, '..', '..') : join(here, '..');

/** dist/oracle/harness, built by npm run build (oracle/build.js). */
export const HARNESS_PATH = join(projectRoot, 'dist', 'oracle', 'harness');

/** oracle/harness.c, which mntns export-c embeds. */
export const HARNESS_SOURCE = join(projectRoot, 'oracle', 'harness.c');

/** The harness to run: MNTNS_ORACLE_HARNESS when set (a harness built elsewhere), else the built one. */
export const harnessPath = (): string => process.env.MNTNS_ORACLE_HARNESS ?? HARNESS_PATH;

/** Why the kernel oracle cannot run on this machine, or null when it can. */
export function oracleUnavailable(harness: string = harnessPath()): string | null {
  if (process.platform !== 'linux') return 'oracle: the kernel oracle needs Linux';
  if (process.arch !== 'x64') return 'oracle: the kernel oracle knows the x86_64 syscall numbers only';
  if (!existsSync(harness)) return `oracle: no harness at ${harness} (no C compiler at build time?); run npm run build with cc installed`;
  if (process.geteuid?.() !== 0) return 'oracle: the kernel oracle needs root (it makes a private mount namespace and a pid namespace)';
  return null;
}

export type KernelResult = { readonly ok: true; readonly value: number; readonly fds: readonly number[] } | { readonly ok: false; readonly errno: string };

export interface KernelStep {
  readonly result: KernelResult;
  /** pid -> the real mount-namespace id (NS_GET_MNTNS_ID) of every live task. */
  readonly nsOf: Readonly<Record<number, number>>;
  /** pid -> the nsfs inode link, mnt:[N]. */
  readonly nsLinkOf: Readonly<Record<number, string>>;
  /** pid of the task read -> its /proc/<pid>/mountinfo lines; one task per namespace. */
  readonly mountinfo: Readonly<Record<number, readonly string[]>>;
}

export interface KernelRun {
  readonly steps: readonly KernelStep[];
  /** The harness's fatal message, when it stopped before the end (timeout, refusal, ...). */
  readonly fatal: string | null;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface HarnessOptions {
  readonly harness?: string;
  /** Per-step timeout inside the harness, in milliseconds. */
  readonly stepTimeoutMs?: number;
  /** Extra environment, e.g. the injected failure MNTNS_ORACLE_INJECT of the tests. */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with the harness's pid after each completed step (the tests kill it mid-trace). */
  readonly onStep?: (completed: number, pid: number) => void;
  /**
   * Send only the first N commands and keep stdin open, so the harness waits, alive, after step N
   * (for the test that kills it half-way: without it the harness may finish before the kill lands).
   */
  readonly feedOnly?: number;
}

// Where two names share a number, the model spells the first of each pair.
const ERRNO_ALIASES: Readonly<Record<string, string>> = { EWOULDBLOCK: 'EAGAIN', EDEADLOCK: 'EDEADLK', ENOTSUP: 'EOPNOTSUPP' };
const ERRNO_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(constants.errno).map(([name, number]) => [number, ERRNO_ALIASES[name] ?? name]),
);

export const errnoName = (number: number): string => ERRNO_NAMES[number] ?? `errno ${number}`;

function parseResult(fields: readonly string[]): KernelResult {
  if (fields[0] === 'E') return { ok: false, errno: errnoName(Number(fields[1])) };
  const fds = fields[2] === undefined || fields[2] === '' ? [] : fields[2].split(',').map(Number);
  return { ok: true, value: Number(fields[1]), fds };
}

/** Replay the events on the kernel, in a fresh sandbox that vanishes when the harness ends. */
export function runOnKernel(events: readonly Event[], options: HarnessOptions = {}): Promise<KernelRun> {
  const commands = events
    .slice(0, options.feedOnly ?? events.length)
    .map((event) => `${harnessCommand(event)}\n`)
    .join('');
  return new Promise((resolve, reject) => {
    const child = spawn(options.harness ?? harnessPath(), [String(options.stepTimeoutMs ?? 5000)], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...options.env },
    });
    const steps: KernelStep[] = [];
    let fatal: string | null = null;
    let pending = '';
    let current: { result: KernelResult | null; nsOf: Record<number, number>; nsLinkOf: Record<number, string>; mountinfo: Record<number, string[]> } | null = null;
    const fresh = () => ({ result: null, nsOf: {}, nsLinkOf: {}, mountinfo: {} });
    const onLine = (text: string): void => {
      const fields = text.split('\t');
      switch (fields[0]) {
        case 'READY':
          return;
        case 'X':
          fatal = fields.slice(1).join('\t');
          return;
        case 'R':
        case 'E':
          current = fresh();
          current.result = parseResult(fields);
          return;
        case 'N':
          if (current !== null) {
            current.nsOf[Number(fields[1])] = Number(fields[2]);
            current.nsLinkOf[Number(fields[1])] = fields[3] ?? '';
          }
          return;
        case 'M':
          if (current !== null) (current.mountinfo[Number(fields[1])] ??= []).push(fields.slice(2).join('\t'));
          return;
        case 'D':
          if (current !== null && current.result !== null) {
            steps.push({ result: current.result, nsOf: current.nsOf, nsLinkOf: current.nsLinkOf, mountinfo: current.mountinfo });
            if (child.pid !== undefined) options.onStep?.(steps.length, child.pid);
          }
          current = null;
          return;
        default:
          fatal = `oracle: unexpected harness output: ${text}`;
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    });
    child.on('error', reject);
    child.stdin.on('error', () => undefined); // the harness may stop reading (refusal, kill)
    child.on('close', (exitCode, signal) => resolve({ steps, fatal, exitCode, signal }));
    if (options.feedOnly === undefined) child.stdin.end(commands);
    else child.stdin.write(commands);
  });
}
