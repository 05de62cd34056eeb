// The JUnit XML rendering of a result record, for CI: one test case per invariant (failed with
// the counterexample's trace where it was violated) and one per seeded bug (failed where the bug
// went uncaught or was caught by another invariant than the one that must catch it); for mntns
// oracle one per modelled syscall (failed with the shrunk trace of each kind of unexplained
// disagreement of that syscall, skipped where the campaign never ran it).
import { formatStep } from '../traces/index.js';
import type { RunReport } from './record.js';

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly failure: { readonly message: string; readonly body: string } | null;
  /** Why the case did not run (a syscall the campaign never ran). */
  readonly skipped?: string;
}

function suite(name: string, cases: readonly Case[], seconds: number): string {
  const failures = cases.filter((testCase) => testCase.failure !== null).length;
  const skipped = cases.filter((testCase) => testCase.failure === null && testCase.skipped !== undefined).length;
  const body = cases
    .map((testCase) => {
      const open = `    <testcase classname="${escape(testCase.classname)}" name="${escape(testCase.name)}"`;
      if (testCase.failure === null && testCase.skipped !== undefined) return `${open}>\n      <skipped message="${escape(testCase.skipped)}"/>\n    </testcase>`;
      if (testCase.failure === null) return `${open}/>`;
      return `${open}>\n      <failure message="${escape(testCase.failure.message)}">${escape(testCase.failure.body)}</failure>\n    </testcase>`;
    })
    .join('\n');
  const skips = skipped === 0 ? '' : ` skipped="${skipped}"`;
  return `  <testsuite name="${escape(name)}" tests="${cases.length}" failures="${failures}" errors="0"${skips} time="${seconds.toFixed(3)}">\n${body}\n  </testsuite>`;
}

/** A counterexample's trace, a numbered line a step: a syscall trace's or a protocol trace's. */
const traceText = (trace: RunReport['deterministic']['counterexamples'][number]): string =>
  (trace.protocolSteps?.map((step) => step.line) ?? trace.steps.map((recorded) => formatStep(recorded.event, recorded.result)))
    .map((line, index) => `${String(index + 1).padStart(3)}  ${line}`)
    .join('\n');

function oracleCases(part: RunReport['deterministic']): Case[] {
  const oracle = part.oracle;
  if (oracle === null || oracle === undefined) return [];
  return oracle.syscalls.map((syscall) => {
    const kinds = oracle.disagreements.filter((kind) => kind.syscall === syscall.syscall);
    const traces = part.counterexamples.filter((trace) => kinds.some((kind) => trace.disagreement === kind.kind));
    const body = traces
      .map((trace) => `${trace.source}\n${traceText(trace)}\n${trace.violations.map((violation) => `        ${violation.message}`).join('\n')}${trace.savedAs === null ? '' : `\nsaved to ${trace.savedAs}`}`)
      .join('\n\n');
    return {
      classname: 'mntns.oracle.syscalls',
      name: syscall.syscall,
      failure: kinds.length === 0 ? null : { message: `model and kernel disagree: ${kinds.map((kind) => `${kind.kind} (${kind.runs} runs)`).join('; ')}`, body },
      ...(syscall.steps === 0 ? { skipped: 'never run by the campaign' } : {}),
    };
  });
}

export function renderJunit(report: RunReport): string {
  const part = report.deterministic;
  const seconds = report.timing.elapsedMs / 1000;
  const suites: string[] = [];
  if (part.invariants.length > 0) {
    // each invariant's counterexample: the syscall model's, or its protocol model's
    const counterexampleOf = (protocol: string | undefined) => part.counterexamples.find((candidate) => candidate.protocol === protocol);
    const traceTextOf = (trace: (typeof part.counterexamples)[number] | undefined): string => (trace === undefined ? '' : traceText(trace));
    suites.push(
      suite(
        `mntns ${part.command}: invariants`,
        part.invariants.map((invariant) => {
          const trace = counterexampleOf(invariant.protocol);
          return {
            classname: `mntns.${part.command}.${invariant.protocol === undefined ? 'invariants' : `protocols.${invariant.protocol}`}`,
            name: invariant.name,
            failure:
              invariant.verdict === 'held'
                ? null
                : {
                    message: invariant.violations.map((violation) => violation.message).join('; '),
                    body: `${traceTextOf(trace)}\n${trace?.savedAs === null || trace === undefined ? '' : `saved to ${trace.savedAs}`}`,
                  },
          };
        }),
        seconds,
      ),
    );
  }
  if (part.seededBugs.length > 0) {
    suites.push(
      suite(
        `mntns ${part.command}: seeded bugs`,
        part.seededBugs.map((bug) => ({
          classname: `mntns.${part.command}.${bug.protocol === undefined ? 'seeded-bugs' : `protocol-seeded-bugs.${bug.protocol}`}`,
          name: bug.id,
          failure: bug.caughtAsRequired
            ? null
            : {
                message: bug.found ? `caught by ${bug.fired.join(', ')}, but ${bug.mustFire} must catch it` : `not found; ${bug.mustFire} must catch it`,
                body: `runs: ${bug.runs}`,
              },
        })),
        seconds,
      ),
    );
  }
  const oracle = oracleCases(part);
  if (oracle.length > 0) suites.push(suite(`mntns ${part.command}: model against kernel, per syscall`, oracle, seconds));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="mntns ${escape(part.command)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
