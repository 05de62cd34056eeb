// `mntns replay TRACE`: run a saved trace through the model step by step, printing each event with
// its result, a MISMATCH where the result differs from the recorded one, what the step changed,
// and the invariants' verdict (--trees: every namespace's mount tree after each step; --refs
// KIND:ID: who holds that object). Exit 0 when every result matches and every invariant holds, 1
// otherwise, 2 for bad input. --interactive (the default on a terminal) walks the trace back and
// forth at a prompt; --break-at N stops in the Node inspector just before step N is applied.
import inspector from 'node:inspector';
import { History, loadAnyTrace, OBJECT_SYNTAX, parseObjectRef, ProtocolHistory, traceStore } from '../traces/index.js';
import { protocolReplay } from './replay-protocol.js';
import type { ObjectRef } from '../properties/index.js';
import { interactiveSession } from './replay-interactive.js';
import { renderWithExtras, stepHeld, summary } from './replay-render.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse, UsageError } from './usage.js';

const OPTIONS = {
  trees: { type: 'boolean' },
  refs: { type: 'string' },
  interactive: { type: 'boolean' },
  'no-interactive': { type: 'boolean' },
  'break-at': { type: 'string' },
} as const;

/** Open the inspector when none is attached yet, say where to connect, and wait for a debugger. */
function waitForDebugger(step: number): void {
  process.setSourceMapsEnabled(true);
  if (inspector.url() !== undefined) return; // started under --inspect or node inspect: already attached
  try {
    inspector.open(9229, '127.0.0.1', false); // the port VS Code's attach configuration expects
  } catch {
    inspector.open(0, '127.0.0.1', false); // 9229 is taken: any free port
  }
  process.stderr.write(
    `mntns replay --break-at ${step}: waiting for a debugger on ${inspector.url() ?? 'the inspector'}\n` +
      '  Chrome: open chrome://inspect and pick the target; VS Code: run the "Attach to mntns replay" configuration\n' +
      '  (or "Debug: Attach to Node Process"); it stops just before the model applies the step, in traces/history.ts\n',
  );
  inspector.waitForDebugger();
}

export async function replayCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse('replay', args, OPTIONS, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('mntns replay: name a trace file, e.g. mntns replay .mntns/failures/model-seed1-shrunk.trace');
  let refs: ObjectRef | null = null;
  if (values.refs !== undefined) {
    refs = parseObjectRef(values.refs);
    if (refs === null) throw new UsageError(`mntns replay: --refs takes ${OBJECT_SYNTAX}, not "${values.refs}"`);
  }
  if (values.interactive === true && values['no-interactive'] === true) {
    throw new UsageError('mntns replay: --interactive and --no-interactive exclude each other; give one');
  }
  const interactive = values.interactive === true || (values['no-interactive'] !== true && process.stdin.isTTY === true && process.stdout.isTTY === true);
  const loaded = loadAnyTrace(file);
  if (loaded.kind === 'protocol') {
    if (values.trees === true || refs !== null || values['break-at'] !== undefined) {
      throw new UsageError('mntns replay: --trees, --refs and --break-at apply to syscall traces; a protocol trace shows its state with the prompt command "state"');
    }
    const bug = loaded.trace.bug === null ? '' : `, seeded bug ${loaded.trace.bug}`;
    process.stdout.write(`replaying ${file}: ${loaded.trace.steps.length} steps of the protocol model ${loaded.trace.protocol}${bug}\n`);
    return protocolReplay(new ProtocolHistory(loaded.trace, loaded.protocol), interactive);
  }
  const trace = traceStore.load(file);
  const breakAt = values['break-at'] === undefined ? undefined : integer('replay', 'break-at', values['break-at'], 1, 1, Math.max(trace.steps.length, 1));
  if (breakAt !== undefined && breakAt > trace.steps.length) {
    throw new UsageError(`mntns replay: --break-at ${breakAt} is past the trace's last step (${trace.steps.length})`);
  }
  const history = new History(trace, { ...(trace.bug === null ? {} : { model: { bug: trace.bug } }), ...(breakAt === undefined ? {} : { breakAt }) });
  const extras = { trees: values.trees === true, refs };
  process.stdout.write(`replaying ${file}: ${trace.steps.length} events${trace.bug === null ? '' : `, seeded bug ${trace.bug}`}\n`);
  if (breakAt !== undefined) waitForDebugger(breakAt);
  if (interactive) return interactiveSession(history, extras);
  while (history.next()) process.stdout.write(`${renderWithExtras(history, extras)}\n`);
  process.stdout.write(`${summary(history.computed)}\n`);
  return history.computed.every(stepHeld) ? EXIT_HELD : EXIT_VIOLATED;
}
