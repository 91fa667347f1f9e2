import { diff } from '@asyncapi/diff';

interface Change {
  action: 'add' | 'remove' | 'edit';
  path: string;
  before?: unknown;
  after?: unknown;
}

const SCHEMA_CHANGE = /^\/components\/schemas\/([^/]+)(\/.*)?$/;
// Words for people, which no reader's code depends on.
const PROSE = /\/(description|title|summary|examples|externalDocs)(\/|$)/;
const VERSION = /^\/components\/schemas\/([^/]+)\/properties\/version\/const$/;

/**
 * Breaking changes from `base` to `current` of the AsyncAPI document, by @asyncapi/diff: what its
 * standard calls breaking (a channel, operation or message removed, a binding changed), and any
 * change to an event's payload schema but these:
 * - an addition (a new field, optional or required): readers drop fields they do not know
 *   (libs/events/src/read-event.ts), so a writer may add one before its readers are deployed;
 * - prose (descriptions, titles, examples);
 * - any change to an event whose `version` rises in the same change: the rule for everything
 *   else. The new version is a new schema; readers upgrade the older one to it step by step
 *   (the upgrades in libs/events), so records of both versions on a topic stay readable.
 */
export function asyncApiBreaking(base: string, current: string): string[] {
  const changes = diff(JSON.parse(base), JSON.parse(current), { outputType: 'json' });
  const classified = [...(changes.breaking() as Change[]).map((change) => ({ change, breaking: true })), ...(changes.unclassified() as Change[]).map((change) => ({ change, breaking: false }))];
  const all = [...classified.map(({ change }) => change), ...(changes.nonBreaking() as Change[])];
  const raised = new Set(
    all.flatMap((change) => {
      const version = VERSION.exec(change.path);
      return version && change.action === 'edit' && Number(change.after) > Number(change.before) ? [version[1]!] : [];
    }),
  );
  return classified
    .filter(({ change, breaking }) => {
      const schema = SCHEMA_CHANGE.exec(change.path);
      if (!schema) return breaking;
      const [, name, within = ''] = schema;
      return !(raised.has(name!) || change.action === 'add' || PROSE.test(within));
    })
    .map(({ change }) => `${change.action} ${change.path}`);
}
