import { DEV_SEAL_KEYS } from '@eisss/platform';
import { openedByRegister } from '@eisss/testing';
import { PaymentSealing } from './payment-sealing';

const publicOf = (k: (typeof DEV_SEAL_KEYS)[keyof typeof DEV_SEAL_KEYS]) => {
  const { d: _d, ...pub } = k;
  return JSON.stringify(pub);
};

describe('PaymentSealing', () => {
  const IBAN = 'UA213223130000026007233566001';

  it('seals a proposed IBAN for the register (development key outside production): masked, opened only by the register', async () => {
    const sealing = PaymentSealing.fromConfig({ NODE_ENV: 'test' });
    const p = await sealing.proposal({ method: 'bank', iban: IBAN });
    expect(p).toEqual({ method: 'bank', ibanMasked: 'UA21*********************6001', ibanSealed: expect.any(String) });
    expect(JSON.stringify(p)).not.toContain(IBAN);
    expect(await openedByRegister(p)).toEqual({ method: 'bank', iban: IBAN });
    // Randomised: the same IBAN seals differently each time.
    expect(await sealing.proposal({ method: 'bank', iban: IBAN })).not.toEqual(p);
    expect(await sealing.proposal({ method: 'post', postcode: '01001' })).toEqual({ method: 'post', postcode: '01001' });
  });

  it('fails start-up on a bad key: none or the development key in production, a private key, not JSON; SEAL_FOR_TREASURY checked when set', () => {
    expect(() => PaymentSealing.fromConfig({ NODE_ENV: 'production' })).toThrow(/SEAL_FOR_REGISTER: required in production/);
    expect(() =>
      PaymentSealing.fromConfig({ NODE_ENV: 'production', SEAL_FOR_REGISTER: publicOf(DEV_SEAL_KEYS['social-register']) }),
    ).toThrow(/development key is refused/);
    expect(() =>
      PaymentSealing.fromConfig({ NODE_ENV: 'test', SEAL_FOR_REGISTER: JSON.stringify(DEV_SEAL_KEYS['social-register']) }),
    ).toThrow(/private part/);
    expect(() => PaymentSealing.fromConfig({ NODE_ENV: 'test', SEAL_FOR_REGISTER: 'nope' })).toThrow(/SEAL_FOR_REGISTER: not JSON/);
    expect(() => PaymentSealing.fromConfig({ NODE_ENV: 'test', SEAL_FOR_TREASURY: '{"kty":"RSA"}' })).toThrow(/SEAL_FOR_TREASURY/);
    expect(() =>
      PaymentSealing.fromConfig({ NODE_ENV: 'test', SEAL_FOR_TREASURY: publicOf(DEV_SEAL_KEYS['payments-treasury']) }),
    ).not.toThrow();
  });
});
