// How a protocol's events are written down: one template per event type, the kernel function and
// statement the step is (`{in}(ns {ns}): lockref_get_not_dead(dentry {dentry})`), and the kind of
// each field a template names. The one table serves the printer, the parser of trace lines, the
// reader of the JSON form and the JSON Schema, so they cannot drift apart.
import type { ProtocolEvent } from './engine.js';

/** A field is an object id (`dentry 4` prints `4`), or one of a few names, each with its spelling. */
export type SyntaxField = { readonly kind: 'id' } | { readonly kind: 'enum'; readonly spelling: Readonly<Record<string, string>> };

export interface EventSyntax<E extends ProtocolEvent> {
  /** The template of each event type; `{field}` is replaced by the field's spelling. */
  readonly templates: { readonly [T in E['type']]: string };
  readonly fields: Readonly<Record<string, SyntaxField>>;
}

/** The largest object id a trace may name. */
export const MAX_PROTOCOL_ID = 2 ** 31 - 1;

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** The fields a template names, in order of first appearance. */
export function templateFields(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/** The call of an event as the template spells it. */
export function formatEventCall<E extends ProtocolEvent>(syntax: EventSyntax<E>, event: E): string {
  const record = event as unknown as Readonly<Record<string, unknown>>;
  const template = syntax.templates[event.type as E['type']];
  return template.replace(PLACEHOLDER, (_whole, name: string) => {
    const field = syntax.fields[name];
    const value = record[name];
    if (field?.kind === 'enum') return field.spelling[String(value)] ?? String(value);
    return String(value);
  });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Matcher {
  readonly type: string;
  readonly regexp: RegExp;
  /** The field each capture group holds. */
  readonly groups: readonly string[];
}

const matchers = new WeakMap<object, readonly Matcher[]>();

function matchersOf<E extends ProtocolEvent>(syntax: EventSyntax<E>): readonly Matcher[] {
  const known = matchers.get(syntax);
  if (known !== undefined) return known;
  const built = Object.entries<string>(syntax.templates).map(([type, template]) => {
    const groups: string[] = [];
    let source = '';
    let last = 0;
    for (const match of template.matchAll(PLACEHOLDER)) {
      source += escapeRegExp(template.slice(last, match.index));
      const name = match[1] as string;
      const field = syntax.fields[name];
      source += field?.kind === 'enum' ? `(${Object.values(field.spelling).map(escapeRegExp).join('|')})` : '(\\d+)';
      groups.push(name);
      last = match.index + match[0].length;
    }
    source += escapeRegExp(template.slice(last));
    return { type, regexp: new RegExp(`^${source}(?= =|$)`), groups };
  });
  matchers.set(syntax, built);
  return built;
}

/**
 * The event a call text spells for `task`, with the length of the text it took; null when no
 * template spells it. A field named twice in a template must have one value.
 */
export function parseEventCall<E extends ProtocolEvent>(syntax: EventSyntax<E>, text: string, task: number): { readonly event: E; readonly end: number } | null {
  for (const matcher of matchersOf(syntax)) {
    const match = matcher.regexp.exec(text);
    if (match === null) continue;
    const fields: Record<string, string | number> = { type: matcher.type, task };
    let consistent = true;
    matcher.groups.forEach((name, index) => {
      const spelled = match[index + 1] as string;
      const field = syntax.fields[name];
      const value =
        field?.kind === 'enum' ? (Object.entries(field.spelling).find(([, spelling]) => spelling === spelled)?.[0] ?? spelled) : Number(spelled);
      if (name in fields && fields[name] !== value) consistent = false;
      fields[name] = value;
    });
    if (!consistent) continue;
    return { event: orderedEvent(syntax, fields as unknown as E), end: match[0].length };
  }
  return null;
}

/** The fields of an event type besides `type` and `task`, in template order. */
export function eventFields<E extends ProtocolEvent>(syntax: EventSyntax<E>, type: E['type']): string[] {
  return templateFields(syntax.templates[type]);
}

/** The event with `type` and `task` first and its fields in template order: one spelling per event. */
export function orderedEvent<E extends ProtocolEvent>(syntax: EventSyntax<E>, event: E): E {
  const record = event as unknown as Readonly<Record<string, unknown>>;
  const entries: [string, unknown][] = [
    ['type', event.type],
    ['task', event.task],
  ];
  for (const field of eventFields(syntax, event.type as E['type'])) entries.push([field, record[field]]);
  return Object.fromEntries(entries) as unknown as E;
}

/**
 * What is wrong with an event read from JSON, in words, or null: its type must be one of the
 * syntax's, every field its template names present with a value of its kind, and no other field.
 */
export function protocolEventProblem<E extends ProtocolEvent>(syntax: EventSyntax<E>, event: Readonly<Record<string, unknown>>): string | null {
  const types = Object.keys(syntax.templates);
  const type = event.type;
  if (typeof type !== 'string' || !types.includes(type)) return `unknown event type ${JSON.stringify(type)}; known: ${types.join(', ')}`;
  const fields = eventFields(syntax, type as E['type']);
  const isId = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_PROTOCOL_ID;
  if (!isId(event.task)) return `"task" of ${type} must be a whole number from 0 to ${MAX_PROTOCOL_ID}`;
  for (const name of fields) {
    const field = syntax.fields[name];
    const value = event[name];
    if (value === undefined) return `${type} needs the field "${name}"`;
    if (field?.kind === 'enum') {
      const names = Object.keys(field.spelling);
      if (typeof value !== 'string' || !names.includes(value)) return `"${name}" of ${type} must be one of ${names.join(', ')}`;
    } else if (!isId(value)) {
      return `"${name}" of ${type} must be a whole number from 0 to ${MAX_PROTOCOL_ID}`;
    }
  }
  const extra = Object.keys(event).find((key) => key !== 'type' && key !== 'task' && !fields.includes(key));
  return extra === undefined ? null : `${type} has no field "${extra}"; its fields: task${fields.map((name) => `, ${name}`).join('')}`;
}
