// `mntns export-c TRACE [-o FILE]`: write one standalone C file that replays the trace on the
// kernel inside its own private namespaces and exits non-zero if a result differs from the model's.
import { writeFileSync } from 'node:fs';
import { initialState, step } from '../model/index.js';
import { exportC } from '../oracle/index.js';
import { traceStore } from '../traces/index.js';
import { EXIT_HELD, parse, UsageError } from './usage.js';

export function exportCCommand(args: readonly string[]): number {
  const { positionals, values } = parse('export-c', args, { output: { type: 'string', short: 'o' } }, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('mntns export-c: name a trace file, e.g. mntns export-c oracle/traces/propagation.trace.json -o replay.c');
  // The results the correct model gives now, not those recorded (a trace may come from a seeded bug).
  let state = initialState();
  const steps = traceStore.load(file).steps.map(({ event }) => {
    const outcome = step(state, event, {});
    state = outcome.state;
    return { event, result: outcome.result };
  });
  const source = exportC(steps, file);
  if (values.output === undefined) process.stdout.write(source);
  else {
    try {
      writeFileSync(values.output, source);
    } catch {
      throw new UsageError(`mntns export-c: cannot write ${values.output}; check the directory exists`);
    }
    process.stdout.write(`wrote ${values.output}: build with cc -O2 -o replay ${values.output} and run ./replay as root\n`);
  }
  return EXIT_HELD;
}
