// The event syntax of both protocols: every event a schedule makes is printed and read back as
// itself, no two templates spell the same text, and a JSON event with a wrong field is named.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schedules } from './check.js';
import type { AnyProtocol } from './registry.js';
import { PROTOCOLS } from './registry.js';
import { runSchedule } from './run.js';
import { formatEventCall, parseEventCall, protocolEventProblem } from './syntax.js';

describe.each(PROTOCOLS.map((protocol): [string, AnyProtocol] => [protocol.name, protocol]))('the event syntax of %s', (_name, protocol) => {
  it('reads back every event a schedule makes, under every seeded bug', () => {
    fc.assert(
      fc.property(schedules(protocol.actors.length, 40), fc.constantFrom(null, ...protocol.bugs), (schedule, bug) => {
        for (const { event } of runSchedule(protocol, schedule, bug === null ? {} : { bug }).steps) {
          const text = formatEventCall(protocol.syntax, event);
          const parsed = parseEventCall(protocol.syntax, `${text} = ok`, event.task);
          expect(parsed?.event).toEqual(event);
          expect(parsed?.end).toBe(text.length);
          expect(protocolEventProblem(protocol.syntax, event as unknown as Record<string, unknown>)).toBeNull();
        }
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('spells no two event types the same way', () => {
    const templates = Object.values<string>(protocol.syntax.templates);
    expect(new Set(templates).size).toBe(templates.length);
  });

  it('reads nothing from a call no template spells', () => {
    expect(parseEventCall(protocol.syntax, 'frobnicate(dentry 1)', 1)).toBeNull();
  });
});

describe('protocolEventProblem', () => {
  const stash = PROTOCOLS[0] as AnyProtocol;
  it.each([
    [{ type: 'frob', task: 1 }, /unknown event type "frob"/],
    [{ type: 'dput', task: 1 }, /dput needs the field "dentry"/],
    [{ type: 'dput', task: 1, dentry: -1 }, /"dentry" of dput must be a whole number/],
    [{ type: 'dput', task: 'one', dentry: 1 }, /"task" of dput must be a whole number/],
    [{ type: 'rcu_read_lock', task: 1, ns: 1, in: 'elsewhere' }, /"in" of rcu_read_lock must be one of stashed_dentry_get, stash_dentry/],
    [{ type: 'dput', task: 1, dentry: 1, extra: 2 }, /dput has no field "extra"/],
  ])('names what is wrong with %j', (event, message) => {
    expect(protocolEventProblem(stash.syntax, event)).toMatch(message);
  });

  it('reads a field named twice in a template only when both agree', () => {
    expect(parseEventCall(stash.syntax, 'path_from_stashed(ns 1): sops->put_data(ns 1)', 2)?.event).toEqual({ type: 'put_data', task: 2, ns: 1 });
    expect(parseEventCall(stash.syntax, 'path_from_stashed(ns 1): sops->put_data(ns 2)', 2)).toBeNull();
  });
});
