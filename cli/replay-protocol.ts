// `mntns replay` of a protocol trace: each step with the task's event, its result, a MISMATCH
// where the event or result differs from the recording, what it changed in the protocol state (its
// immer patches, read as field: old -> new), and the invariants' verdict. At the prompt (the
// default on a terminal): n, b, g N, diff, state, show, help, q, as for syscall traces.
import { createInterface } from 'node:readline';
import type { Patch } from 'immer';
import type { ProtocolAppliedStep, ProtocolHistory } from '../traces/index.js';
import { formatProtocolLine, protocolStepDifferences } from '../traces/index.js';
import { EXIT_HELD, EXIT_VIOLATED } from './usage.js';

const INDENT = '        ';

const valueAt = (state: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), state);

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** What a step's patches changed, one line per patch: `tasks.1.pc: "a" -> "b"`. */
export function describeProtocolChanges(before: unknown, patches: readonly Patch[]): string[] {
  return patches.map((patch) => {
    const path = patch.path.join('.');
    if (patch.op === 'remove') return `${path} removed (was ${show(valueAt(before, patch.path))})`;
    const old = valueAt(before, patch.path);
    return old === undefined ? `${path} added: ${show(patch.value)}` : `${path}: ${show(old)} -> ${show(patch.value)}`;
  });
}

export function renderProtocolStep(history: ProtocolHistory): string {
  const applied = history.last;
  if (applied === null) return `   0  the initial state (${history.length} steps to go)`;
  const lines = [`${String(applied.number).padStart(4)}  ${formatProtocolLine(history.protocol, applied)}`];
  for (const difference of protocolStepDifferences(applied)) if (!difference.startsWith('verdict')) lines.push(`${INDENT}MISMATCH ${difference}`);
  for (const change of describeProtocolChanges(history.stateBefore(), applied.patches)) lines.push(`${INDENT}${change}`);
  if (applied.violations.length === 0) lines.push(`${INDENT}invariants: every one held`);
  for (const violation of applied.violations) lines.push(`${INDENT}VIOLATED ${violation.invariant}: ${violation.message}`);
  return lines.join('\n');
}

const stepGood = (applied: ProtocolAppliedStep): boolean => applied.sameEvent && applied.match.kind !== 'differs' && applied.violations.length === 0;

export function protocolSummary(steps: readonly ProtocolAppliedStep[]): string {
  const mismatches = steps.filter((applied) => !applied.sameEvent || applied.match.kind === 'differs').length;
  const violated = steps.some((applied) => applied.violations.length > 0);
  return `${mismatches === 0 ? 'every step matches the recording' : `${mismatches} step(s) differ from the recording`}; ${violated ? 'an invariant was violated' : 'every invariant held'}`;
}

export const PROTOCOL_HELP = `commands:
  n, next          take the next step
  b, back          undo the current step
  g N, goto N      go to the state after step N (0 = the initial state)
  diff             what the current step changed
  state            the protocol state now, as JSON
  show             the current step again
  help             this text
  q, quit          leave (exit 0 if every step reached matched and held)`;

export function runProtocolCommand(history: ProtocolHistory, line: string): string | null {
  const [command = '', ...args] = line.trim().split(/\s+/);
  switch (command) {
    case '':
      return '';
    case 'n':
    case 'next':
      return history.next() ? renderProtocolStep(history) : `at the end of the trace (step ${history.length}); b to go back, q to quit`;
    case 'b':
    case 'back':
      return history.back() ? `back to:\n${renderProtocolStep(history)}` : 'at the initial state (step 0); n to go forward';
    case 'g':
    case 'goto': {
      const target = args.length === 1 && /^[0-9]+$/.test(args[0] as string) ? Number(args[0]) : Number.NaN;
      if (!Number.isInteger(target) || target > history.length) return `goto takes a step number from 0 to ${history.length}, e.g. g 3`;
      history.goto(target);
      return renderProtocolStep(history);
    }
    case 'diff': {
      const last = history.last;
      if (last === null) return 'at the initial state: no step has changed anything yet';
      const changes = describeProtocolChanges(history.stateBefore(), last.patches);
      return changes.length === 0 ? `step ${last.number} changed nothing` : changes.join('\n');
    }
    case 'state':
      return JSON.stringify(history.state, null, 2);
    case 'show':
      return renderProtocolStep(history);
    case 'help':
    case '?':
      return PROTOCOL_HELP;
    case 'q':
    case 'quit':
    case 'exit':
      return null;
    default:
      return `unknown command "${command}"; type help for the commands (n, b, g N, diff, state, show, q)`;
  }
}

export async function protocolReplay(history: ProtocolHistory, interactive: boolean): Promise<number> {
  if (!interactive) {
    while (history.next()) process.stdout.write(`${renderProtocolStep(history)}\n`);
    process.stdout.write(`${protocolSummary(history.computed)}\n`);
    return history.computed.every(stepGood) ? EXIT_HELD : EXIT_VIOLATED;
  }
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal });
  process.stdout.write(`at the initial state (step 0 of ${history.length}); n steps forward, help lists the commands\n`);
  lines.setPrompt(`replay ${history.cursor}/${history.length}> `);
  lines.prompt();
  for await (const line of lines) {
    const output = runProtocolCommand(history, line);
    if (output === null) break;
    if (output !== '') process.stdout.write(`${output}\n`);
    lines.setPrompt(`replay ${history.cursor}/${history.length}> `);
    lines.prompt();
  }
  lines.close();
  if (!terminal) process.stdout.write('\n');
  return history.computed.every(stepGood) ? EXIT_HELD : EXIT_VIOLATED;
}
