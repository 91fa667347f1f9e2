import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { randomBytes } from 'node:crypto';
import { buildEvent } from '../build-event';
import { readEvent } from '../read-event';
import { eventSchemas, type EventType } from '../schemas';
import { seal, sealedSchema, userProfileSchema } from '../sealed';
import { eventMessages, READER_TOLERANCE } from './event-messages';
import { SEALED_FIELDS } from './sealed-fields';

const userId = '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11';
const { messages, schemas } = eventMessages();

/** The contract's schemas in a validator, as a reader of the document in another language would use them. */
const validator = () => {
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
  return ajv;
};

describe('the AsyncAPI messages of the events', () => {
  it('describe every event type with its payload schema, record key and headers', () => {
    for (const type of Object.keys(eventSchemas) as EventType[]) {
      expect([type, messages[type]]).toEqual([type, expect.objectContaining({ name: type, payload: { $ref: `#/components/schemas/${type}` }, bindings: { kafka: expect.objectContaining({ key: expect.objectContaining({ format: 'uuid' }) }) } })]);
      expect(schemas[type]).toMatchObject({ properties: { type: { const: type }, version: { const: eventSchemas[type].shape.version.value } } });
    }
  });

  it('give the writer\'s schema, which refuses an unknown field the tolerant reader drops, and say so', () => {
    const event = buildEvent('user-deleted', { userId, deletedAt: new Date().toISOString() });
    const grown = { ...event, payload: { ...event.payload, reason: 'asked' } };
    const validate = validator().getSchema('#/components/schemas/user-deleted')!;

    expect(validate(JSON.parse(JSON.stringify(event)))).toBe(true);
    expect(validate(grown)).toBe(false);
    expect(readEvent(grown)).toEqual(event);
    expect(messages['user-deleted']!.description).toBe(READER_TOLERANCE);
  });

  it('describe each sealed field: its JWE format, whose key seals it, and the schema of what it holds', () => {
    const sealedInSchemas = Object.entries(eventSchemas).flatMap(([type, schema]) =>
      Object.entries(schema.shape.payload.shape)
        .filter(([, field]) => field === sealedSchema)
        .map(([field]) => `${type}.${field}`),
    );
    expect(Object.entries(SEALED_FIELDS).map(([type, sealed]) => `${type}.${sealed.field}`)).toEqual(sealedInSchemas);

    const profile = (schemas['new-user-created'] as { properties: { payload: { properties: Record<string, unknown> } } }).properties.payload.properties.profile;
    expect(profile).toMatchObject({ contentMediaType: 'application/jose', 'x-herald-sealed': { alg: 'dir', enc: 'A256GCM', kid: 'payload.userId', plaintext: { $ref: '#/components/schemas/UserProfile' } } });
    const sealed = seal(userProfileSchema, { username: 'ada', email: 'ada@example.com', firstName: null, lastName: null }, { userId, key: randomBytes(32) });
    const event = buildEvent('new-user-created', { userId, profile: sealed, createdAt: new Date().toISOString() });
    expect(validator().getSchema('#/components/schemas/new-user-created')!(JSON.parse(JSON.stringify(event)))).toBe(true);
    expect(validator().getSchema('#/components/schemas/UserProfile')!({ username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: null })).toBe(true);
  });
});
