// `mntns replay --interactive`: a prompt that walks a History back and forth. Works on a terminal
// and on piped stdin alike (node:readline), so sessions can be scripted and tested.
import { createInterface } from 'node:readline';
import type { ObjectRef } from '../properties/index.js';
import type { History } from '../traces/index.js';
import { describeChanges, drawMountTrees, holdersReport, OBJECT_SYNTAX, parseObjectRef, whyAlive } from '../traces/index.js';
import type { StepExtras } from './replay-render.js';
import { renderCurrentStep, renderWithExtras, stepHeld } from './replay-render.js';
import { EXIT_HELD, EXIT_VIOLATED } from './usage.js';

export const INTERACTIVE_HELP = `commands:
  n, next          apply the next step
  b, back          undo the current step
  g N, goto N      go to the state after step N (0 = the boot state)
  diff             what the current step changed
  tree             every namespace's mount tree now
  refs KIND:ID     who holds the object (e.g. refs mount:7)
  why KIND:ID      why the object is still alive
  show             the current step again
  help             this text
  q, quit          leave (exit 0 if every step reached matched and held)`;

/** One command line in, the text to print out; null to quit. */
export function runInteractiveCommand(history: History, line: string, extras: StepExtras): string | null {
  const [command = '', ...args] = line.trim().split(/\s+/);
  const object = (): ObjectRef | string => {
    const parsed = args.length === 1 ? parseObjectRef(args[0] as string) : null;
    return parsed ?? `${command} takes one object, ${OBJECT_SYNTAX}`;
  };
  switch (command) {
    case '':
      return '';
    case 'n':
    case 'next':
      return history.next() ? renderWithExtras(history, extras) : `at the end of the trace (step ${history.length}); b to go back, q to quit`;
    case 'b':
    case 'back':
      return history.back() ? `back to:\n${renderCurrentStep(history)}` : 'at the boot state (step 0); n to go forward';
    case 'g':
    case 'goto': {
      const target = args.length === 1 && /^[0-9]+$/.test(args[0] as string) ? Number(args[0]) : Number.NaN;
      if (!Number.isInteger(target) || target > history.length) return `goto takes a step number from 0 to ${history.length}, e.g. g 3`;
      history.goto(target);
      return renderWithExtras(history, extras);
    }
    case 'diff': {
      const last = history.last;
      if (last === null) return 'at the boot state: no step has changed anything yet';
      const changes = describeChanges(history.stateBefore(), history.state, last.patches);
      return changes.length === 0 ? `step ${last.number} changed nothing` : changes.join('\n');
    }
    case 'tree':
      return drawMountTrees(history.state);
    case 'refs': {
      const parsed = object();
      return typeof parsed === 'string' ? parsed : holdersReport(history.state, parsed, history.computed.slice(0, history.cursor));
    }
    case 'why': {
      const parsed = object();
      return typeof parsed === 'string' ? parsed : whyAlive(history.state, parsed);
    }
    case 'show':
      return renderWithExtras(history, extras);
    case 'help':
    case '?':
      return INTERACTIVE_HELP;
    case 'q':
    case 'quit':
    case 'exit':
      return null;
    default:
      return `unknown command "${command}"; type help for the commands (n, b, g N, diff, tree, refs KIND:ID, why KIND:ID, show, q)`;
  }
}

export async function interactiveSession(history: History, extras: StepExtras): Promise<number> {
  const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const prompt = (): string => `replay ${history.cursor}/${history.length}> `;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal });
  process.stdout.write(`at the boot state (step 0 of ${history.length}); n steps forward, help lists the commands\n`);
  lines.setPrompt(prompt());
  lines.prompt();
  for await (const line of lines) {
    const output = runInteractiveCommand(history, line, extras);
    if (output === null) break;
    if (output !== '') process.stdout.write(`${output}\n`);
    lines.setPrompt(prompt());
    lines.prompt();
  }
  lines.close();
  if (!terminal) process.stdout.write('\n');
  return history.computed.every(stepHeld) ? EXIT_HELD : EXIT_VIOLATED;
}
