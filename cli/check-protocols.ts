// The protocol part of `mntns check`, with the failure database of the syscall part: each
// protocol's saved counterexamples (same folder, told apart by the profile of their header) are
// replayed first; one still failing is shrunk, reported and saved again, and no random run is made
// for that protocol; one that no longer fails is moved to fixed/. Every counterexample the random
// budget finds is saved the moment it is found (raw) and after each shrinking pass (shrunk).
import type { AnyProtocol, ProtocolEvent, ProtocolTraceStep, ProtocolViolation } from '../protocols/index.js';
import { PROTOCOL_DEFAULT_BUDGET, PROTOCOLS, protocolProfile } from '../protocols/index.js';
import type { CounterexampleSource, FailureStage, ProtocolCampaignResult, ProtocolTrace, SavedFailure } from '../traces/index.js';
import { failurePath, loadAnyTrace, makeProtocolTrace, protocolFailureStem, recordedRun, retireFixed, runProtocolCampaign, saveProtocolTrace, savedFailures, TraceError } from '../traces/index.js';

export interface ProtocolCheckRun {
  readonly result: ProtocolCampaignResult;
  readonly savedAs: string | null;
  readonly retired: readonly string[];
}

const protocolStore = {
  load(path: string): ProtocolTrace {
    const loaded = loadAnyTrace(path);
    if (loaded.kind !== 'protocol') throw new TraceError(`${path}: not a protocol trace`);
    return loaded.trace;
  },
  save: saveProtocolTrace,
};

export function checkProtocols(options: { readonly seed: number; readonly bug: string | null; readonly failuresDir: string; readonly replaySaved: boolean }): ProtocolCheckRun[] {
  return PROTOCOLS.map((protocol) => checkOne(protocol, options));
}

function checkOne(protocol: AnyProtocol, options: { readonly seed: number; readonly bug: string | null; readonly failuresDir: string; readonly replaySaved: boolean }): ProtocolCheckRun {
  const bug = options.bug !== null && protocol.bugs.includes(options.bug) ? options.bug : null;
  const budget = { ...PROTOCOL_DEFAULT_BUDGET, seed: options.seed };
  const saved: SavedFailure<ProtocolTrace>[] = options.replaySaved ? savedFailures(options.failuresDir, bug, protocolStore, protocolProfile(protocol.name)) : [];
  const command = `mntns check --seed ${options.seed}${bug === null ? '' : ` --mutant ${bug}`}`;
  let last: string | null = null;
  const save = (stage: FailureStage, steps: readonly ProtocolTraceStep<ProtocolEvent>[], violations: readonly ProtocolViolation[], source: CounterexampleSource): void => {
    const stem = source.kind === 'saved' ? (saved.find((failure) => failure.path === source.name)?.stem ?? source.name) : protocolFailureStem(protocol.name, bug, options.seed);
    const path = failurePath(options.failuresDir, stem, stage);
    const origin = source.kind === 'saved' ? `replayed from ${source.name}, shrunk` : `${command}, ${protocol.name}, ${stage === 'raw' ? 'as found' : 'shrunk'}`;
    saveProtocolTrace(path, makeProtocolTrace(protocol, { seed: options.seed, bug, origin, steps: recordedRun(steps, violations) }));
    if (stage === 'shrunk') last = path;
  };
  const result = runProtocolCampaign(protocol, {
    budget,
    bug,
    saved: saved.map((failure) => ({ name: failure.path, trace: failure.trace })),
    onCounterexample: save,
  });
  const retired = retireFixed(options.failuresDir, result.replayed, saved);
  return { result, savedAs: result.counterexample === null ? null : last, retired };
}

/** The lines of the failure database for the summary: what was replayed, retired and saved. */
export function protocolDatabaseLines(runs: readonly ProtocolCheckRun[], failuresDir: string): string[] {
  const lines: string[] = [];
  for (const { result, savedAs, retired } of runs) {
    if (result.replayed.length > 0) {
      const failing = result.replayed.filter((replayed) => replayed.stillFails).length;
      lines.push(`  ${result.protocol}: replayed ${result.replayed.length} saved counterexample(s) from ${failuresDir} first: ${failing} still fail(s)`);
    }
    for (const path of retired) lines.push(`    ${path} no longer fails: moved to ${failuresDir}/fixed/`);
    if (savedAs !== null) lines.push(`  ${result.protocol}: saved to ${savedAs}; replay it with: npx mntns replay ${savedAs}`);
  }
  return lines;
}
