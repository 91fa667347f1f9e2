import { signUpSchema } from './user-schemas';

const valid = { username: 'ada_l', email: 'ada@example.com', password: 'correct horse battery', firstName: 'Ada', lastName: 'Lovelace' };
const failedPaths = (input: unknown) => {
  const result = signUpSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

// Bidi controls, zero-width and other invisible format characters (category Cf), separators.
const INVISIBLE: Array<[string, string]> = [
  ['left-to-right embedding', '\u202a'],
  ['right-to-left embedding', '\u202b'],
  ['pop directional formatting', '\u202c'],
  ['left-to-right override', '\u202d'],
  ['right-to-left override', '\u202e'],
  ['left-to-right isolate', '\u2066'],
  ['right-to-left isolate', '\u2067'],
  ['first strong isolate', '\u2068'],
  ['pop directional isolate', '\u2069'],
  ['left-to-right mark', '\u200e'],
  ['right-to-left mark', '\u200f'],
  ['Arabic letter mark', '\u061c'],
  ['zero-width space', '\u200b'],
  ['zero-width non-joiner', '\u200c'],
  ['zero-width joiner', '\u200d'],
  ['word joiner', '\u2060'],
  ['byte order mark', '\ufeff'],
  ['soft hyphen', '\u00ad'],
  ['invisible separator', '\u2063'],
  ['line separator', '\u2028'],
  ['paragraph separator', '\u2029'],
];

describe('sign-up names', () => {
  it.each(INVISIBLE)('when a name holds a %s (in the middle or at an edge), it is refused naming the field', (_what, character) => {
    for (const firstName of [`A${character}da`, `${character}Ada`, `Ada${character}`]) {
      expect(failedPaths({ ...valid, firstName })).toEqual(['firstName']);
      expect(failedPaths({ ...valid, lastName: firstName })).toEqual(['lastName']);
    }
  });

  it('when a name is in any script with accents and spaces, it is accepted and NFC-normalised', () => {
    const result = signUpSchema.parse({ ...valid, firstName: '  Zoe\u0301 Ma-Li ', lastName: 'عبد الله 山田' });
    expect(result.firstName).toBe('Zoé Ma-Li');
    expect(result.lastName).toBe('عبد الله 山田');
  });

  it('when the refusal is reported, the message names the rule, not the value', () => {
    const result = signUpSchema.safeParse({ ...valid, firstName: 'Evil\u202eexe.txt' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe('must not contain invisible or bidirectional formatting characters');
  });
});
