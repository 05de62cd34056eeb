// The JSON Schema (draft 2020-12) of the JSON form of a trace, built from the tables the reader
// checks against (traces/validate.ts: event types, fields, flag lists; traces/vocabulary.ts), so
// the published traces/trace.schema.json cannot drift from what mntns reads. Regenerate the file
// with `npm run schema`. A protocol trace (profile `protocol NAME`) has its own branch, built from
// the protocol's event syntax (protocols/syntax.ts), invariants and seeded bugs.
import type { EventType } from '../model/index.js';
import type { AnyProtocol } from '../protocols/index.js';
import { eventFields, MAX_PROTOCOL_ID, PROFILE_PREFIX, PROTOCOL_OBJECT_KINDS, PROTOCOLS, protocolProfile } from '../protocols/index.js';
import { protocolInvariantNames } from './protocol/trace.js';
import { CAPABILITIES, ERRNOS, EVENT_TYPES, MOUNT_ATTRS, PROPAGATION_TYPES, SEEDED_BUG_IDS, SETNS_TYPES } from '../model/index.js';
import { TRACE_FORMAT, TRACE_VERSION } from './trace.js';
import type { Field } from './validate.js';
import { EVENT_FIELDS, EVENT_FLAGS, FIELD_KINDS, MAX_ID } from './validate.js';
import { KNOWN_INVARIANTS, OBJECT_KINDS } from './vocabulary.js';

type Schema = { readonly [keyword: string]: unknown };

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const names = (known: readonly string[]): Schema => ({ type: 'array', items: { enum: [...known] } });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });

/** The value a field holds, as eventProblem checks it. */
function fieldSchema(field: Field, type: EventType): Schema {
  switch (FIELD_KINDS[field]) {
    case 'id':
      return ref('id');
    case 'string':
      return { type: 'string' };
    case 'dirfd':
      return ref('dirfd');
    case 'cmd':
      return { const: 'FSCONFIG_CMD_CREATE' };
    case 'propagation':
      return nullable({ enum: [...PROPAGATION_TYPES] });
    case 'attrs':
      return ref('mountAttrs');
    case 'string-or-null':
      return nullable({ type: 'string' });
    case 'ids':
      return { type: 'array', items: ref('id') };
    case 'nstype':
      return { enum: [...SETNS_TYPES] };
    case 'capabilities':
      return names(CAPABILITIES);
    case 'flags':
      return names(EVENT_FLAGS[type] ?? []);
  }
}

function eventSchema(type: EventType): Schema {
  const fields = EVENT_FIELDS[type];
  return {
    type: 'object',
    properties: { type: { const: type }, ...Object.fromEntries(fields.map((field) => [field, fieldSchema(field, type)])) },
    required: ['type', ...fields],
    additionalProperties: false,
  };
}

/** One event type of a protocol: its task and the fields its template names. */
function protocolEventSchema(protocol: AnyProtocol, type: string): Schema {
  const fields = eventFields(protocol.syntax, type);
  const field = (name: string): Schema => {
    const kind = protocol.syntax.fields[name];
    return kind?.kind === 'enum' ? { enum: Object.keys(kind.spelling) } : ref('protocolId');
  };
  return {
    type: 'object',
    properties: { type: { const: type }, task: { enum: [...protocol.actors] }, ...Object.fromEntries(fields.map((name) => [name, field(name)])) },
    required: ['type', 'task', ...fields],
    additionalProperties: false,
  };
}

/** The branch of a protocol's traces: its profile, seeded bugs, events and invariants. */
function protocolTraceSchema(protocol: AnyProtocol): Schema {
  return {
    type: 'object',
    properties: {
      format: { const: TRACE_FORMAT },
      version: { const: TRACE_VERSION },
      profile: { const: protocolProfile(protocol.name) },
      seed: nullable(ref('whole')),
      bug: nullable({ enum: [...protocol.bugs] }),
      origin: nullable({ type: 'string' }),
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            event: { oneOf: Object.keys(protocol.syntax.templates).map((type) => protocolEventSchema(protocol, type)) },
            result: nullable(ref('protocolResult')),
            violations: {
              type: 'array',
              items: {
                type: 'object',
                properties: { invariant: { enum: protocolInvariantNames(protocol) }, objects: { type: 'array', items: ref('protocolObject') }, message: { type: 'string' } },
                required: ['invariant', 'objects', 'message'],
                additionalProperties: false,
              },
            },
          },
          required: ['event', 'result', 'violations'],
          additionalProperties: false,
          if: { properties: { result: { type: 'null' } } },
          then: { properties: { violations: { type: 'array', maxItems: 0 } } },
        },
      },
    },
    required: ['format', 'version', 'profile', 'steps'],
    additionalProperties: false,
  };
}

export function traceSchema(): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'mntns trace (JSON form)',
    description: `A trace of mntns, format ${TRACE_VERSION}: the events in order, each with the result and the invariant violations recorded for it; a trace of the syscall model, or (profile "${PROFILE_PREFIX}NAME") of a protocol model. Generated by traces/schema.ts; do not edit.`,
    oneOf: [syscallTraceSchema(), ...PROTOCOLS.map(protocolTraceSchema)],
    $defs: {
      ...syscallDefs(),
      protocolId: { type: 'integer', minimum: 0, maximum: MAX_PROTOCOL_ID },
      protocolResult: {
        oneOf: [
          { type: 'object', properties: { ok: { const: true }, value: { type: 'string' } }, required: ['ok', 'value'], additionalProperties: false },
          {
            type: 'object',
            properties: { ok: { const: false }, failure: { enum: ['blocked', 'finished'] }, detail: { type: 'string' } },
            required: ['ok', 'failure', 'detail'],
            additionalProperties: false,
          },
        ],
      },
      protocolObject: {
        type: 'object',
        properties: { kind: { enum: [...PROTOCOL_OBJECT_KINDS] }, id: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
        required: ['kind', 'id'],
        additionalProperties: false,
      },
    },
  };
}

/** The branch of the syscall model's traces: any profile but a protocol's. */
function syscallTraceSchema(): Schema {
  return {
    type: 'object',
    properties: {
      format: { const: TRACE_FORMAT },
      version: { const: TRACE_VERSION },
      profile: { anyOf: [{ type: 'null' }, { type: 'string', not: { pattern: `^${PROFILE_PREFIX}` } }] },
      seed: nullable(ref('whole')),
      bug: nullable({ enum: [...SEEDED_BUG_IDS] }),
      origin: nullable({ type: 'string' }),
      steps: { type: 'array', items: ref('step') },
    },
    required: ['format', 'version', 'steps'],
    additionalProperties: false,
  };
}

function syscallDefs(): Record<string, Schema> {
  return {
    id: { type: 'integer', minimum: 0, maximum: MAX_ID },
    whole: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
    dirfd: { anyOf: [ref('id'), { const: 'AT_FDCWD' }] },
    mountAttrs: names(MOUNT_ATTRS),
    step: {
      type: 'object',
      properties: { event: ref('event'), result: nullable(ref('result')), violations: { type: 'array', items: ref('violation') } },
      required: ['event', 'result', 'violations'],
      additionalProperties: false,
      // A step without a recorded result has no recorded verdict either.
      if: { properties: { result: { type: 'null' } } },
      then: { properties: { violations: { type: 'array', maxItems: 0 } } },
    },
    event: { oneOf: EVENT_TYPES.map(eventSchema) },
    result: {
      oneOf: [
        {
          type: 'object',
          properties: { ok: { const: true }, value: ref('whole'), fds: { type: 'array', items: ref('id') } },
          required: ['ok', 'value'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: { ok: { const: false }, errno: { enum: [...ERRNOS] }, check: { type: 'string' } },
          required: ['ok', 'errno', 'check'],
          additionalProperties: false,
        },
      ],
    },
    violation: {
      type: 'object',
      properties: {
        invariant: { enum: [...KNOWN_INVARIANTS] },
        objects: {
          type: 'array',
          items: {
            type: 'object',
            properties: { kind: { enum: [...OBJECT_KINDS] }, id: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
            required: ['kind', 'id'],
            additionalProperties: false,
          },
        },
        message: { type: 'string' },
      },
      required: ['invariant', 'objects', 'message'],
      additionalProperties: false,
    },
  };
}

/** The text of traces/trace.schema.json. */
export const schemaText = (): string => `${JSON.stringify(traceSchema(), null, 2)}\n`;
