import {
  DEV_SEAL_KEYS,
  DomainError,
  SealedField,
  accountRefKey,
  accountRefOf,
  sealFor,
  sealRecipientFromConfig,
  type ProposedAccount,
} from '@eisss/platform';
import { openedByTreasury, payeeOpenedByTreasury, proposedAccount } from '@eisss/testing';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import type { SocialRegisterConfig } from '../config/config';
import { AccountSealing, accountSealingKeys } from './account-sealing';
import { PersonErrorCode } from './person.errors';

const IBAN = 'UA213223130000026007233566001';
const OTHER_IBAN = 'UA903052992990004149123456789';
const RNOKPP = '3296909324';
const holder = { fullName: 'Шевченко Олена Іванівна', rnokpp: RNOKPP, documentNumber: null };

const sealing = (env: Partial<SocialRegisterConfig> = {}) => new AccountSealing({ NODE_ENV: 'test', ...env } as SocialRegisterConfig);

function freshKeyPair(kid: string): { publicJwk: JWK & { kid: string }; privateJwk: JWK & { kid: string } } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), kid },
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), kid },
  };
}

const productionPii = () => ({
  PII_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PII_HMAC_KEY: randomBytes(32).toString('base64'),
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe(AccountSealing.name, () => {
  describe('forTreasury', () => {
    it('seals the IBAN and the holder identifiers for the treasury, with no plain IBAN or РНОКПП in what it returns', async () => {
      const out = await sealing().forTreasury({ method: 'bank', iban: IBAN }, holder);
      const json = JSON.stringify(out);
      expect(json).not.toContain(IBAN);
      expect(json).not.toContain(RNOKPP);
      expect(out.account).toMatchObject({
        method: 'bank',
        ibanMasked: 'UA21*********************6001',
        accountRef: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      expect(out.holder).toMatchObject({
        fullName: holder.fullName,
        rnokppMasked: expect.not.stringContaining(RNOKPP),
        documentNumberMasked: null,
      });
      expect(await openedByTreasury(out.account!)).toEqual({ method: 'bank', iban: IBAN });
      expect(await payeeOpenedByTreasury(out.holder)).toEqual(holder);
    });

    it('gives the same account reference for the same IBAN every time, another for another IBAN, and one keyed by PII_HMAC_KEY', async () => {
      const s = sealing();
      const [a, b, c] = await Promise.all([
        s.forTreasury({ method: 'bank', iban: IBAN }, holder),
        s.forTreasury({ method: 'bank', iban: IBAN }, holder),
        s.forTreasury({ method: 'bank', iban: OTHER_IBAN }, holder),
      ]);
      const ref = (x: typeof a) => (x.account?.method === 'bank' ? x.account.accountRef : null);
      expect(ref(a)).toBe(ref(b));
      expect(a.account).not.toEqual(b.account); // sealed afresh each time
      expect(ref(c)).not.toBe(ref(a));
      expect(a.holder.identityRef).toBe(b.holder.identityRef);
      const hmac = randomBytes(32);
      const keyed = await sealing({ PII_HMAC_KEY: hmac.toString('base64') }).forTreasury({ method: 'bank', iban: IBAN }, holder);
      expect(ref(keyed)).toBe(accountRefOf(accountRefKey(hmac), IBAN));
      expect(ref(keyed)).not.toBe(ref(a));
    });

    it('passes a post account as it is and no account as null', async () => {
      expect((await sealing().forTreasury({ method: 'post', postcode: '01001' }, holder)).account).toEqual({
        method: 'post',
        postcode: '01001',
      });
      expect((await sealing().forTreasury(null, holder)).account).toBeNull();
    });
  });

  describe('openProposal', () => {
    it('opens an IBAN proposed sealed for the register, and a post proposal as it is', async () => {
      expect(await sealing().openProposal(await proposedAccount({ method: 'bank', iban: IBAN }))).toEqual({ method: 'bank', iban: IBAN });
      expect(await sealing().openProposal({ method: 'post', postcode: '79000' })).toEqual({ method: 'post', postcode: '79000' });
    });

    it('refuses as unprocessable PAYMENT_ACCOUNT_SEAL_INVALID a proposal sealed to another key, under another kid, tampered with, of another field, or masked as another IBAN', async () => {
      const other = freshKeyPair(DEV_SEAL_KEYS['social-register'].kid);
      const stranger = freshKeyPair('stranger-1');
      const good = (await proposedAccount({ method: 'bank', iban: IBAN })) as Extract<ProposedAccount, { method: 'bank' }>;
      const [head, ...rest] = good.ibanSealed.split('.');
      const cipher = rest[2]!;
      const tampered = [head, rest[0], rest[1], (cipher[0] === 'A' ? 'B' : 'A') + cipher.slice(1), rest[3]].join('.');
      const register = sealRecipientFromConfig('x', undefined, 'social-register', 'test');
      const cases: ProposedAccount[] = [
        { ...good, ibanSealed: await sealFor({ kid: other.publicJwk.kid, publicJwk: other.publicJwk }, SealedField.Iban, IBAN) },
        { ...good, ibanSealed: await sealFor({ kid: stranger.publicJwk.kid, publicJwk: stranger.publicJwk }, SealedField.Iban, IBAN) },
        { ...good, ibanSealed: tampered },
        { ...good, ibanSealed: await sealFor(register, SealedField.PayeeIdentity, IBAN) },
        { ...good, ibanSealed: 'not-a-jwe' },
        { ...good, ibanMasked: 'UA90*********************6789' },
      ];
      for (const c of cases) {
        const err = await refusal(sealing().openProposal(c));
        expect(err).toMatchObject({ code: PersonErrorCode.PAYMENT_ACCOUNT_SEAL_INVALID, kind: 'unprocessable' });
        expect(err.message).not.toContain(IBAN);
      }
    });
  });

  describe(accountSealingKeys.name, () => {
    it('uses the development keys outside production', () => {
      const keys = accountSealingKeys({ NODE_ENV: 'development' } as SocialRegisterConfig);
      expect(keys.treasury.kid).toBe(DEV_SEAL_KEYS['payments-treasury'].kid);
    });

    it('requires both keys in production and refuses the development ones there', () => {
      const treasury = freshKeyPair('treasury-1');
      const register = freshKeyPair('register-1');
      const env = {
        NODE_ENV: 'production',
        ...productionPii(),
        SEAL_FOR_TREASURY: JSON.stringify(treasury.publicJwk),
        SEAL_KEYS: JSON.stringify([register.privateJwk]),
      } as SocialRegisterConfig;
      expect(accountSealingKeys(env).treasury.kid).toBe('treasury-1');
      const { d: _d, ...devTreasuryPublic } = DEV_SEAL_KEYS['payments-treasury'];
      expect(() => accountSealingKeys({ ...env, SEAL_FOR_TREASURY: undefined })).toThrow(/SEAL_FOR_TREASURY: required in production/);
      expect(() => accountSealingKeys({ ...env, SEAL_KEYS: undefined })).toThrow(/SEAL_KEYS: required in production/);
      expect(() => accountSealingKeys({ ...env, SEAL_FOR_TREASURY: JSON.stringify(devTreasuryPublic) })).toThrow(
        /SEAL_FOR_TREASURY: the development key is refused/,
      );
      expect(() => accountSealingKeys({ ...env, SEAL_KEYS: JSON.stringify([DEV_SEAL_KEYS['social-register']]) })).toThrow(
        /SEAL_KEYS: the development key is refused/,
      );
      expect(() => accountSealingKeys({ ...env, SEAL_FOR_TREASURY: JSON.stringify(treasury.privateJwk) })).toThrow(
        /SEAL_FOR_TREASURY: must be a public key/,
      );
      expect(() => new AccountSealing({ ...env, SEAL_KEYS: '[' })).toThrow(/SEAL_KEYS: not JSON/);
    });
  });
});
