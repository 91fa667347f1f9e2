import { z } from 'zod';
import { eventSchemas, type EventType, type HeraldEvent } from './schemas';

/**
 * An event this code cannot read and never will (not an envelope, an unknown type, a payload that
 * breaks the schema, a version too old to upgrade). `issues` say what is wrong, never the values.
 */
export class EventSchemaError extends Error {
  readonly issues: string[];

  constructor(issues: string[]) {
    super(issues.join('; '));
    this.name = 'EventSchemaError';
    this.issues = issues;
  }
}

/**
 * An event of a newer version than this code knows: a producer deployed before its consumers
 * wrote it. It is not broken, so it waits (`retriable`) until code that knows the version reads it.
 */
export class NewerVersionError extends Error {
  readonly retriable = true;

  constructor(type: string, version: number, known: number) {
    super(`${type} version ${version} is newer than this consumer knows (${known}); it waits for a consumer that does`);
    this.name = 'NewerVersionError';
  }
}

/** Turns an envelope of one version into the next version's (its `version` included). */
export type Upgrade = (event: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upgrades per event type, keyed by the version they upgrade from. Empty while every event type
 * is at its first version: a change that breaks readers adds version N + 1 to the schema and the
 * upgrade from N here, so events still on the topics in version N stay readable.
 */
export const UPGRADES: Partial<Record<EventType, Record<number, Upgrade>>> = {};

const describeIssues = (error: z.ZodError) =>
  // The first few issues, each cut short: a crafted record can have thousands, with long key names.
  error.issues.slice(0, 5).map((issue) => `${issue.path.map(String).join('.').slice(0, 100) || '(root)'} ${issue.message.slice(0, 100)}`);

type EnvelopeSchema = (typeof eventSchemas)[EventType];

/** The schema an event of this type is written with, made tolerant: unknown fields are dropped, not refused. */
const tolerant = (schema: EnvelopeSchema) => z.object({ ...schema.shape, payload: schema.shape.payload.strip() });
const readers = new Map<EventType, ReturnType<typeof tolerant>>();

/**
 * Reads an event as a tolerant reader does. Producers write strictly (a field outside the schema
 * fails before it is published); readers ignore fields they do not know, in the envelope and the
 * payload, so a producer that adds a field can be deployed before its consumers. An older version
 * is upgraded step by step; a newer one throws NewerVersionError (it waits); anything else throws
 * EventSchemaError.
 */
export function readEvent(value: unknown, { upgrades = UPGRADES }: { upgrades?: typeof UPGRADES } = {}): HeraldEvent {
  // The type and version first, by hand: this runs for every record, in every consumer group.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new EventSchemaError(['(root) must be an event envelope (an object)']);
  const { type, version: claimed } = value as { type?: unknown; version?: unknown };
  if (typeof type !== 'string') throw new EventSchemaError(['type must be a string']);
  if (typeof claimed !== 'number' || !Number.isInteger(claimed) || claimed < 0) throw new EventSchemaError(['version must be a whole number']);
  if (!Object.hasOwn(eventSchemas, type)) throw new EventSchemaError(['type is not an event type this consumer knows']);
  const schema = eventSchemas[type as EventType];
  const known = schema.shape.version.value;
  let event = value as Record<string, unknown>;
  for (let version = claimed; version !== known; version += 1) {
    if (version > known) throw new NewerVersionError(type, version, known);
    const upgrade = upgrades[type as EventType]?.[version];
    if (!upgrade) throw new EventSchemaError([`version ${version} of ${type} can no longer be read`]);
    event = upgrade(event);
  }
  let reader = readers.get(type as EventType);
  if (!reader) readers.set(type as EventType, (reader = tolerant(schema)));
  const parsed = reader.safeParse(event);
  if (!parsed.success) throw new EventSchemaError(describeIssues(parsed.error));
  return parsed.data as HeraldEvent;
}
