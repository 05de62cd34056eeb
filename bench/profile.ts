// Summarise a V8 .cpuprofile (node --cpu-prof): self and total time by function, self time by
// file; optionally only the samples taken inside a given function (and the collections between
// its first and last sample), e.g. the timed loop of one bench figure:
//
//   node --expose-gc --cpu-prof --cpu-prof-dir=/tmp/mntns-prof dist/bench/main.js --only large-invariants --freeze on
//   node dist/bench/profile.js /tmp/mntns-prof/CPU.*.cpuprofile --under invariantsPass
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly sampledMs: number;
  /** Self time: the samples taken in the function itself (and what V8 inlined into it). */
  readonly byFunction: readonly Share[];
  readonly byFile: readonly Share[];
  /** Total time: the samples with the function anywhere on the stack. */
  readonly byFunctionTotal: readonly Share[];
}

const GC = '(garbage collector)';

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  const modules = url.lastIndexOf('/node_modules/');
  return modules >= 0 ? url.slice(modules + '/node_modules/'.length) : url.replace(/^file:\/\//, '');
}

function ranked(times: Map<string, number>, total: number): Share[] {
  return [...times]
    .map(([name, ms]) => ({ name, ms, share: total === 0 ? 0 : ms / total }))
    .sort((left, right) => right.ms - left.ms);
}

/** Self time of every sample (the delta to the next sample), grouped; only under `under` if given. */
export function summarise(profile: CpuProfile, under: string | null): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const name = (node: ProfileNode): string =>
    `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
  const inside = new Map<number, boolean>();
  const isInside = (id: number): boolean => {
    if (under === null) return true;
    const known = inside.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id);
    const parent = parents.get(id);
    const result = node?.callFrame.functionName === under || (parent !== undefined && isInside(parent));
    inside.set(id, result);
    return result;
  };
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byFunctionTotal = new Map<string, number>();
  let total = 0;
  // Collections during the window are charged to it: they collect what it allocated.
  const firstInside = profile.samples.findIndex((id) => isInside(id));
  const lastInside = profile.samples.length - 1 - [...profile.samples].reverse().findIndex((id) => isInside(id));
  const counts = (id: number, index: number): boolean =>
    isInside(id) || (index > firstInside && index < lastInside && nodes.get(id)?.callFrame.functionName === GC);
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const node = nodes.get(id);
    if (node === undefined || firstInside < 0 || !counts(id, index)) return;
    const file = shortUrl(node.callFrame.url);
    byFunction.set(name(node), (byFunction.get(name(node)) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    const onStack = new Set<string>();
    for (let frame: ProfileNode | undefined = node; frame !== undefined; frame = nodes.get(parents.get(frame.id) ?? -1)) {
      onStack.add(name(frame));
    }
    for (const frame of onStack) byFunctionTotal.set(frame, (byFunctionTotal.get(frame) ?? 0) + ms);
    total += ms;
  });
  return {
    sampledMs: total,
    byFunction: ranked(byFunction, total),
    byFile: ranked(byFile, total),
    byFunctionTotal: ranked(byFunctionTotal, total),
  };
}

function render(summary: ProfileSummary, top: number): string {
  const line = (share: Share): string =>
    `  ${(100 * share.share).toFixed(1).padStart(5)}%  ${share.ms.toFixed(0).padStart(7)} ms  ${share.name}`;
  return [
    `${summary.sampledMs.toFixed(0)} ms sampled`,
    `self time by function (top ${top}):`,
    ...summary.byFunction.slice(0, top).map(line),
    `self time by file (top ${top}):`,
    ...summary.byFile.slice(0, top).map(line),
    `total time by function (top ${top}):`,
    ...summary.byFunctionTotal.slice(0, top).map(line),
    '',
  ].join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const { values, positionals } = parseArgs({
    options: { under: { type: 'string' }, top: { type: 'string' } },
    allowPositionals: true,
  });
  const top = Number(values.top ?? 15);
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    process.stdout.write(`${file}\n${render(summarise(profile, values.under ?? null), top)}`);
  }
}
