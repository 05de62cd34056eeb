// `mntns corpus`: the regression corpus under traces/corpus/. `promote TRACE` adds a trace (a
// counterexample of mntns check, or any trace) re-recorded against the model as it is now; `check`
// replays every corpus trace and names each step whose result or verdict differs from its
// recording; `list` shows what is kept. npm test runs the same check.
import { join } from 'node:path';
import { corpusFiles, loadAnyTrace, promote, promoteProtocol, replayAnyAgainstRecording, traceStore } from '../traces/index.js';
import { EXIT_HELD, EXIT_VIOLATED, parse, UsageError } from './usage.js';

/** traces/corpus/ of this package: dist/cli/ is two folders below the package root. */
export const DEFAULT_CORPUS_DIR = join(import.meta.dirname, '..', '..', 'traces', 'corpus');

export function corpusCommand(args: readonly string[]): number {
  const [action, ...rest] = args;
  switch (action) {
    case 'promote': {
      const { values, positionals } = parse('corpus promote', rest, { name: { type: 'string' }, 'corpus-dir': { type: 'string' } }, 1);
      const file = positionals[0];
      if (file === undefined) throw new UsageError('mntns corpus promote: name a trace file, e.g. mntns corpus promote .mntns/failures/model-seed7-shrunk.trace');
      const dir = values['corpus-dir'] ?? DEFAULT_CORPUS_DIR;
      const loaded = loadAnyTrace(file);
      if (loaded.kind === 'protocol') {
        const kept = promoteProtocol(loaded, values.name ?? file.split('/').at(-1) ?? file, dir, loaded.trace.origin ?? `promoted from ${file}`);
        process.stdout.write(`kept ${file} as ${kept}: npm test replays it and fails on any step whose event, result or verdict differs\n`);
        return EXIT_HELD;
      }
      const trace = traceStore.load(file);
      const path = promote(trace, values.name ?? file.split('/').at(-1) ?? file, dir, traceStore, trace.origin ?? `promoted from ${file}`);
      process.stdout.write(`kept ${file} as ${path}: npm test replays it and fails on any step whose result or verdict differs\n`);
      return EXIT_HELD;
    }
    case 'check':
    case 'list': {
      const { values } = parse(`corpus ${action}`, rest, { 'corpus-dir': { type: 'string' } });
      const dir = values['corpus-dir'] ?? DEFAULT_CORPUS_DIR;
      const files = corpusFiles(dir);
      let differing = 0;
      for (const file of files) {
        const loaded = loadAnyTrace(file);
        if (loaded.kind === 'syscall') traceStore.load(file); // the reference checks of a syscall trace
        const trace = loaded.trace;
        if (action === 'list') {
          const what = loaded.kind === 'protocol' ? `steps of ${loaded.trace.protocol}` : 'events';
          process.stdout.write(`${file}: ${trace.steps.length} ${what}${trace.bug === null ? '' : `, seeded bug ${trace.bug}`}${trace.origin === null ? '' : ` (${trace.origin})`}\n`);
          continue;
        }
        const differences = replayAnyAgainstRecording(loaded);
        if (differences.length > 0) differing++;
        process.stdout.write(differences.length === 0 ? `ok    ${file}\n` : `DIFF  ${file}\n${differences.map((difference) => `        ${difference}\n`).join('')}`);
      }
      if (action === 'check') process.stdout.write(`${files.length} corpus trace(s) in ${dir}: ${differing === 0 ? 'every step replays as recorded' : `${differing} differ`}\n`);
      return differing === 0 ? EXIT_HELD : EXIT_VIOLATED;
    }
    default:
      throw new UsageError(`mntns corpus: say promote TRACE, check or list, not "${action ?? ''}"`);
  }
}
