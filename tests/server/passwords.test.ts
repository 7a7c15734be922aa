import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from '../../server/index.js';

describe('password policy (NIST SP 800-63B, PCI DSS 8.3.6)', () => {
  it.each([
    ['short1234', 'at least 12'],
    ['password1234', 'common'],
    ['Dragon!!2024', 'common'],
    ['monkeymonkey', 'common'],
    ['aaaaaaaaaaaa', 'repeated'],
    ['abababababab', 'repeated'],
    ['abcdefghijklm', 'sequence'],
    ['qwertyuiopas', 'sequence'],
    ['123456789012', 'sequence'],
    ['zyxwvutsrqpo', 'sequence'],
    ['myname-is-olga!', 'user name'],
  ])('refuses %s (%s)', (pw, why) => {
    expect(passwordProblem(pw, 'olga')).toMatch(new RegExp(why));
  });

  it.each(['correct horse battery staple', 'Vigil watches 24/7!', 'tr0ub4dor&3-extra'])(
    'accepts %s',
    (pw) => {
      expect(passwordProblem(pw, 'olga')).toBeUndefined();
    },
  );
});

describe('argon2id hashes', () => {
  it('stores the parameters in the PHC string and asks for a re-hash when they are raised', async () => {
    const low = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
    const h = await hashPassword('correct horse battery staple', low);
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(h, 'correct horse battery stapler')).toBe(false);
    expect(needsRehash(h, low)).toBe(false);
    expect(needsRehash(h, { ...low, timeCost: 3 })).toBe(true);
    expect(needsRehash(h, { ...low, memoryCost: 65536 })).toBe(true);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
