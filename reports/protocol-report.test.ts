// Protocol results in the result records: a verdict per protocol invariant and the protocol's
// counterexample in the check record (deterministic for the same seed), the protocol seeded bugs
// in the mutants record, and a JUnit case for each.
import { describe, expect, it } from 'vitest';
import { PROTOCOL_DEFAULT_BUDGET, PROTOCOL_SEEDED_BUGS, PROTOCOLS, runProtocolMutants } from '../protocols/index.js';
import { runCampaign, runProtocolCampaign } from '../traces/index.js';
import { checkReport, mutantsReport, protocolMutantRow } from './build.js';
import { renderDeterministicJson } from './json.js';
import { renderJunit } from './junit.js';

const settings = { seed: 11, runs: 10, timeLimitMs: null, maxCommands: 20, stats: false, saved: [], bug: null } as const;

async function report(bug: string | null) {
  const protocols = PROTOCOLS.map((protocol) => ({
    result: runProtocolCampaign(protocol, { budget: { ...PROTOCOL_DEFAULT_BUDGET, seed: 11 }, bug: protocol.bugs.includes(bug ?? '') ? bug : null, saved: [] }),
    savedAs: null,
  }));
  return checkReport(await runCampaign(settings), settings, null, protocols);
}

describe('protocol results in the result records', () => {
  it('the check record has a verdict per protocol invariant, the same bytes for the same seed', async () => {
    const first = await report(null);
    expect(renderDeterministicJson(await report(null))).toBe(renderDeterministicJson(first));
    const protocolVerdicts = first.deterministic.invariants.filter((invariant) => invariant.protocol !== undefined);
    expect(protocolVerdicts).toHaveLength(PROTOCOLS.reduce((sum, protocol) => sum + protocol.invariants.length, 0));
    expect(protocolVerdicts.every((invariant) => invariant.verdict === 'held')).toBe(true);
    expect(first.deterministic.verdict).toBe('held');
    expect(first.deterministic.figures.protocolRuns).toBe(2 * PROTOCOL_DEFAULT_BUDGET.runs);
  });

  it('a protocol counterexample makes the check violated, with its steps, and fails its JUnit case', async () => {
    const violated = await report('umount-skips-grace-period');
    expect(violated.deterministic.verdict).toBe('violated');
    const found = violated.deterministic.counterexamples.find((counterexample) => counterexample.protocol === 'mntput-fast-path');
    expect(found?.steps).toEqual([]);
    const last = found?.protocolSteps?.at(-1)?.line ?? '';
    expect(last).toMatch(/^\[task \d\] .* = /);
    const xml = renderJunit(violated);
    expect(xml).toMatch(/<testcase classname="mntns.check.protocols.mntput-fast-path" name="no-mount-freed-while-held">\n\s*<failure message="mount 1 was freed/);
    expect(xml).toContain(last.replace(/&/g, '&amp;').replace(/>/g, '&gt;'));
  });

  it('the mutants record lists the protocol seeded bugs with their shrunk and minimal lengths', () => {
    const rows = runProtocolMutants().map(protocolMutantRow);
    const record = mutantsReport(rows, { seed: 1, runs: 1 });
    expect(record.deterministic.seededBugs.map((bug) => [bug.id, bug.shrunkLength, bug.minimalLength])).toEqual(
      PROTOCOL_SEEDED_BUGS.map((bug) => [bug.id, bug.minimalSteps, bug.minimalSteps]),
    );
    expect(renderJunit(record).match(/classname="mntns.mutants.protocol-seeded-bugs.nsfs-stash"/g)).toHaveLength(6);
  });
});
