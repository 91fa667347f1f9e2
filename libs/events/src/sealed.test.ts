import { randomBytes } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { seal, unseal, userProfileSchema } from './sealed';

const userId = '6f1f3c1e-8a1b-4c41-9d0a-1d8a0d7e2b11';
const otherUserId = '0b5d7c36-2f41-4b8e-9a0c-5d2e7f1a9b33';
const key = randomBytes(32);
const ada = { username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: null };

describe('sealed personal data', () => {
  it('opens with the user\'s key to what was sealed, and holds none of it readable', () => {
    const sealed = seal(userProfileSchema, ada, { userId, key });
    expect(unseal(userProfileSchema, sealed, { userId, key })).toEqual(ada);
    expect(sealed).not.toMatch(/ada/i);
  });

  it('is standard JWE: jose opens what Herald sealed, and Herald opens what jose sealed', async () => {
    const sealed = seal(userProfileSchema, ada, { userId, key });
    const { plaintext, protectedHeader } = await compactDecrypt(sealed, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    expect(protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM', kid: userId });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(ada);

    const byJose = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(ada))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: userId }).encrypt(key);
    expect(unseal(userProfileSchema, byJose, { userId, key })).toEqual(ada);
  });

  it('does not open with another key (a destroyed key is never guessed), as another user\'s, once altered, or under other algorithms', async () => {
    const sealed = seal(userProfileSchema, ada, { userId, key });
    expect(() => unseal(userProfileSchema, sealed, { userId, key: randomBytes(32) })).toThrow();
    expect(() => unseal(userProfileSchema, sealed, { userId: otherUserId, key })).toThrow(/another user/);
    const [header, , iv, ciphertext, tag] = sealed.split('.');
    const flipped = `${ciphertext!.slice(0, -2)}${ciphertext!.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(() => unseal(userProfileSchema, [header, '', iv, flipped, tag].join('.'), { userId, key })).toThrow();
    // The header is authenticated: naming another user in it breaks the tag, not just the kid check.
    const otherHeader = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: otherUserId })).toString('base64url');
    expect(() => unseal(userProfileSchema, [otherHeader, '', iv, ciphertext, tag].join('.'), { userId: otherUserId, key })).toThrow();
    const cbc = await new CompactEncrypt(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256', kid: userId }).encrypt(key);
    expect(() => unseal(userProfileSchema, cbc, { userId, key })).toThrow(/not dir\/A256GCM/);
  });

  it('refuses to seal what breaks the schema, so nothing but the profile\'s fields is ever sealed, and never says what it held', () => {
    expect(() => seal(userProfileSchema, { ...ada, passwordHash: 'x' } as never, { userId, key })).toThrow(/passwordHash/);
    const sealed = seal(userProfileSchema, ada, { userId, key });
    let refusal = '';
    try {
      unseal(userProfileSchema, sealed, { userId, key: randomBytes(32) });
    } catch (error) {
      refusal = String(error);
    }
    expect(refusal).toMatch(/Error/);
    expect(refusal).not.toMatch(/ada/);
  });
});
