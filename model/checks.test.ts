// The registry of checks cannot go stale: the model's sources are parsed and every place that
// makes a failure (failure(errno, check), umount's fail(errno, check), a { ok: false, errno, check }
// literal) must have its (errno, check) in MODEL_CHECKS, and every entry of MODEL_CHECKS must have
// such a place. A new failure site in model/ fails this test, naming the file and line and the
// entry to add.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkKey, MODEL_CHECKS, reachableChecks, UNREACHABLE_BY_DESIGN } from './checks.js';
import { ERRNOS } from './errno.js';

const ROOT = join(import.meta.dirname, '..');

/** A place in model/ that makes a failure: the errno and check as patterns (templates and variables match anything). */
interface Site {
  readonly where: string;
  readonly errno: RegExp;
  readonly check: RegExp;
  readonly text: string;
}

/**
 * Places that pass on a failure made elsewhere (its errno and check are variables): umount's fail()
 * helper itself, and open_tree's copy_tree plan. Their origins are sites of their own.
 */
const FORWARDING = new Set(['model/syscalls/umount.ts: failure(errno, check)', 'model/syscalls/open-tree.ts: failure(copy.errno, copy.check)']);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A string argument as a pattern: a literal matches itself, a template matches any text in its holes. */
function pattern(node: ts.Expression): RegExp | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return new RegExp(`^${escape(node.text)}$`);
  if (ts.isTemplateExpression(node)) {
    const parts = [escape(node.head.text), ...node.templateSpans.map((span) => `.+${escape(span.literal.text)}`)];
    return new RegExp(`^${parts.join('')}$`);
  }
  return null;
}

function modelSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modelSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && entry.name !== 'test-helpers.ts' ? [path] : [];
  });
}

function failureSites(): { sites: Site[]; unclassified: string[] } {
  const sites: Site[] = [];
  const unclassified: string[] = [];
  for (const path of modelSources(join(ROOT, 'model'))) {
    const file = relative(ROOT, path);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    const where = (node: ts.Node): string => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['failure', 'fail'].includes(node.expression.text)) {
        const [errnoArg, checkArg] = node.arguments;
        const text = node.getText();
        const check = checkArg === undefined ? null : pattern(checkArg);
        const errno = errnoArg !== undefined && ts.isStringLiteral(errnoArg) ? new RegExp(`^${errnoArg.text}$`) : /^E[A-Z0-9]+$/;
        if (check !== null) sites.push({ where: where(node), errno, check, text });
        else if (!FORWARDING.has(`${file}: ${text}`)) unclassified.push(`${where(node)}: ${text}`);
      }
      if (ts.isObjectLiteralExpression(node)) {
        const property = (name: string) =>
          node.properties.find((candidate): candidate is ts.PropertyAssignment => ts.isPropertyAssignment(candidate) && candidate.name.getText() === name);
        const ok = property('ok');
        const errnoProperty = property('errno');
        const checkProperty = property('check');
        if (ok?.initializer.kind === ts.SyntaxKind.FalseKeyword && errnoProperty !== undefined && checkProperty !== undefined) {
          const check = pattern(checkProperty.initializer);
          const errno = ts.isStringLiteral(errnoProperty.initializer) ? new RegExp(`^${errnoProperty.initializer.text}$`) : /^E[A-Z0-9]+$/;
          if (check !== null) sites.push({ where: where(node), errno, check, text: node.getText() });
          else unclassified.push(`${where(node)}: ${node.getText()}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { sites, unclassified };
}

const { sites, unclassified } = failureSites();

describe('the registry of the checks of the model', () => {
  it('finds the failure sites of the model (the scan itself works)', () => {
    expect(sites.length).toBeGreaterThan(150);
    expect(sites.some((site) => site.where.startsWith('model/syscalls/mount.ts') && site.check.test('do_loopback: mnt_ns_loop'))).toBe(true);
  });

  it('every failure is made with a literal or templated check name, or passes on one made elsewhere', () => {
    expect(unclassified, 'give the failure a literal check name, or list the forwarding place in FORWARDING').toEqual([]);
  });

  it('every failure site of model/ has its (errno, check) in MODEL_CHECKS', () => {
    const missing = sites
      .filter((site) => !MODEL_CHECKS.some((entry) => site.errno.test(entry.errno) && site.check.test(entry.check)))
      .map((site) => `${site.where}: ${site.text} — add it to model/checks.ts`);
    expect(missing).toEqual([]);
  });

  it('every entry of MODEL_CHECKS has a failure site in model/', () => {
    const stale = MODEL_CHECKS.filter((entry) => !sites.some((site) => site.errno.test(entry.errno) && site.check.test(entry.check))).map(
      (entry) => `${entry.errno} (${entry.check}) — no place in model/ makes it; remove it from model/checks.ts`,
    );
    expect(stale).toEqual([]);
  });

  it('lists each (errno, check) once, with a known errno', () => {
    const keys = MODEL_CHECKS.map(checkKey);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
    for (const entry of MODEL_CHECKS) expect(ERRNOS).toContain(entry.errno);
  });

  it('gives a reason for each check unreachable by design, and only for checks of the registry', () => {
    for (const [key, reason] of Object.entries(UNREACHABLE_BY_DESIGN)) {
      expect(MODEL_CHECKS.map(checkKey), `${key} is not a check of the model`).toContain(key);
      expect(reason.length).toBeGreaterThan(20);
    }
    expect(reachableChecks().length + Object.keys(UNREACHABLE_BY_DESIGN).length).toBe(MODEL_CHECKS.length);
  });
});
