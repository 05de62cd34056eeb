// Protocol traces in both forms: what mntns writes reads back as the same trace, the one reader
// dispatches on the profile, and a mistake is one line naming file:line and the fix.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyProtocol } from '../../protocols/index.js';
import { PROTOCOLS, runSchedule, schedules, STASH_PROTOCOL } from '../../protocols/index.js';
import { loadAnyTrace, loadTrace, parseAnyTrace, saveProtocolTrace } from '../io.js';
import { TraceError } from '../trace.js';
import { recordedRun } from './campaign.js';
import { printProtocolJsonTrace } from './json-format.js';
import { parseProtocolTrace, printProtocolTrace } from './line-format.js';
import type { ProtocolTrace } from './trace.js';
import { makeProtocolTrace } from './trace.js';

/** A trace of a random schedule of the protocol, under a random seeded bug or none. */
const protocolTrace = (protocol: AnyProtocol): fc.Arbitrary<ProtocolTrace> =>
  fc
    .tuple(schedules(protocol.actors.length, 40), fc.constantFrom(null, ...protocol.bugs), fc.option(fc.integer()), fc.option(fc.string({ unit: 'grapheme-ascii' })))
    .map(([schedule, bug, seed, origin]) => {
      const outcome = runSchedule(protocol, schedule, bug === null ? {} : { bug });
      const steps = recordedRun(outcome.steps, outcome.failure?.violations ?? []);
      return makeProtocolTrace(protocol, { bug, seed, origin: origin === null ? null : origin.replace(/[\r\n]/g, ' ').trim() || null, steps });
    });

const anyProtocolTrace = fc.oneof(...PROTOCOLS.map(protocolTrace));
const protocolOf = (trace: ProtocolTrace): AnyProtocol => PROTOCOLS.find((protocol) => protocol.name === trace.protocol) as AnyProtocol;

describe('protocol traces', () => {
  it('read back from the line format as the trace written', () => {
    fc.assert(
      fc.property(anyProtocolTrace, (trace) => {
        const read = parseAnyTrace(printProtocolTrace(trace, protocolOf(trace)), 't.trace');
        expect(read.kind).toBe('protocol');
        expect(read.trace).toEqual(trace);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('read back from the JSON form as the trace written', () => {
    fc.assert(
      fc.property(anyProtocolTrace, (trace) => {
        const text = printProtocolJsonTrace(trace, protocolOf(trace));
        expect(parseAnyTrace(text, 't.trace.json').trace).toEqual(trace);
        expect(text.split('\n')).toHaveLength(trace.steps.length + 3);
      }),
      { numRuns: 150, seed: 12 },
    );
  });

  it('print a step as the kernel function, its statement and the result, with the verdict under it', () => {
    const outcome = runSchedule(STASH_PROTOCOL, [1, 1, 1], {});
    const text = printProtocolTrace(makeProtocolTrace(STASH_PROTOCOL, { seed: 7, steps: recordedRun(outcome.steps, []) }), STASH_PROTOCOL);
    expect(text).toBe(
      [
        'mntns-trace 2',
        'profile protocol nsfs-stash',
        'seed 7',
        '',
        '[task 1] stashed_dentry_get(ns 1): rcu_read_lock() = ok',
        '[task 1] stashed_dentry_get(ns 1): dentry = ns->stashed = NULL',
        '[task 1] stashed_dentry_get(ns 1): rcu_read_unlock() = returns NULL',
        '',
      ].join('\n'),
    );
  });

  it('are saved and loaded from disk in either form, and refused where a syscall trace is needed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-protocol-trace-'));
    const outcome = runSchedule(STASH_PROTOCOL, [1, 1], {});
    const trace = makeProtocolTrace(STASH_PROTOCOL, { steps: recordedRun(outcome.steps, []) });
    for (const name of ['a.trace', 'a.trace.json']) {
      saveProtocolTrace(join(dir, name), trace);
      expect(loadAnyTrace(join(dir, name)).trace).toEqual(trace);
      expect(() => loadTrace(join(dir, name))).toThrow(/a trace of the protocol model nsfs-stash, where a trace of the syscall model is needed/);
    }
  });

  const header = 'mntns-trace 2\nprofile protocol nsfs-stash\n';
  it.each([
    ['mntns-trace 2\nprofile protocol nope\n', 't.trace:2: unknown protocol "nope"; known: protocol nsfs-stash, protocol mntput-fast-path'],
    [`${header}bug stash-plain-storey\n`, 't.trace:3: nsfs-stash has no seeded bug "stash-plain-storey"; known:'],
    [`${header}\n[task 9] dput(dentry 1) = ok\n`, 't.trace:4: nsfs-stash has no task 9; its tasks are [rcu], [task 1], [task 2], [task 3]'],
    [`${header}[pid 1] dput(dentry 1) = ok\n`, 't.trace:3: a step line starts with "[task N] "'],
    [`${header}[task 1] dput(dentry one) = ok\n`, 't.trace:3: no step of nsfs-stash reads "dput(dentry one) = ok"'],
    [`${header}[task 1] dput(dentry 1) =\n`, 't.trace:3: after the step comes " = " and its result'],
    [`${header}[task 1] dput(dentry 1) = ok\n  ! no-leak: gone\n`, 't.trace:4: nsfs-stash has no invariant "no-leak"; known: one-live-dentry-per-ns'],
    [`${header}[task 1] dput(dentry 1) = ok\n  ! no-ref-on-dead-dentry: x @ mount_point:1\n`, 't.trace:4: unknown object kind "mount_point"'],
    [`${header}[task 1] dput(dentry 1)\n  ! no-ref-on-dead-dentry: x\n`, 't.trace:4: a "!" line under a step with no recorded result'],
    [`${header}[task 1] dput(dentry 1) = ok\nseed 3\n`, 't.trace:4: header "seed" after the first step'],
    ['mntns-trace 3\nprofile protocol nsfs-stash\n', 't.trace:1: this trace was written by a newer mntns'],
  ])('a mistake in the line format is named: %j', (text, message) => {
    expect(() => parseAnyTrace(text, 't.trace')).toThrow(TraceError);
    expect(() => parseAnyTrace(text, 't.trace')).toThrow(message);
  });

  const json = (step: string, top = '"profile":"protocol nsfs-stash"'): string => `{"format":"mntns-trace","version":2,${top},"steps":[\n${step}\n]}\n`;
  it.each([
    [json('{"event":{"type":"dput","task":1,"dentry":1},"result":null,"violations":[]}', '"profile":"protocol nope"'), 't.json:1: unknown protocol "nope"'],
    [json('{"event":{"type":"dput","task":1},"result":null,"violations":[]}'), 't.json:2: step 1: dput needs the field "dentry"'],
    [json('{"event":{"type":"dput","task":7,"dentry":1},"result":null,"violations":[]}'), 't.json:2: step 1: nsfs-stash has no task 7'],
    [json('{"event":{"type":"dput","task":1,"dentry":1},"result":{"ok":true,"value":3},"violations":[]}'), 't.json:2: step 1: "value" of a protocol step is a string'],
    [json('{"event":{"type":"dput","task":1,"dentry":1},"result":{"ok":false,"failure":"stuck","detail":""},"violations":[]}'), 't.json:2: step 1: "failure" must be "blocked" or "finished"'],
    [json('{"event":{"type":"dput","task":1,"dentry":1},"result":{"ok":true,"value":""},"violations":[{"invariant":"no-leak","objects":[],"message":""}]}'), 't.json:2: step 1: nsfs-stash has no invariant "no-leak"'],
  ])('a mistake in the JSON form is named: %#', (text, message) => {
    expect(() => parseAnyTrace(text, 't.json')).toThrow(message);
  });

  it('a hand-written step without a result reads as not recorded', () => {
    const trace = parseProtocolTrace(`${header}# a comment\n[rcu] grace period\n`, 'h.trace');
    expect(trace.steps).toEqual([{ event: { type: 'rcu_grace_period', task: 0 }, result: null, violations: [] }]);
  });

  it('a syscall trace still reads as one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-protocol-trace-'));
    writeFileSync(join(dir, 's.trace'), 'mntns-trace 2\nprofile linux-6.18\n[pid 1] mkdir("/mnt/a", 0755) = 0\n');
    expect(loadAnyTrace(join(dir, 's.trace')).kind).toBe('syscall');
  });
});
