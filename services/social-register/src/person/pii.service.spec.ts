import { LocalKeyWrapper, generateDataKey, piiKeyConfig, type TransactionHost } from '@eisss/platform';
import type { SocialRegisterConfig } from '../config/config';
import { PersonPii } from './pii.service';

describe('PersonPii key reloads', () => {
  it('reloads its keys for an unknown key id in personal data, not for free text that looks like a ciphertext', async () => {
    const wrapper = new LocalKeyWrapper(piiKeyConfig({ NODE_ENV: 'test' }).masterKeys);
    const { masterKeyId, wrapped } = await wrapper.wrap(generateDataKey(), 'dk1');
    const query = jest.fn(async () => [{ id: 'dk1', master_key_id: masterKeyId, wrapped, active: true }]);
    const pii = new PersonPii(
      { NODE_ENV: 'test', PII_KEY_REFRESH_MS: 600_000 } as unknown as SocialRegisterConfig,
      { query } as unknown as TransactionHost,
    );
    await pii.onModuleInit();
    try {
      expect(query).toHaveBeenCalledTimes(1);
      const iban = pii.cipher.encrypt('UA213223130000026007233566001', 'iban');
      await expect(pii.openJson({ iban, address: 'v1:zz:a:b:c', notes: ['v1:yy:a:b:c'] })).resolves.toEqual({
        iban: 'UA213223130000026007233566001',
        address: 'v1:zz:a:b:c',
        notes: ['v1:yy:a:b:c'],
      });
      await expect(pii.openColumns({ id: 'p1', iban_enc: iban, address: 'v1:zz:a:b:c' })).resolves.toMatchObject({
        iban: 'UA213223130000026007233566001',
      });
      expect(query).toHaveBeenCalledTimes(1);
      await pii.cipherFor({ phone: { from: null, to: 'v1:dk2:a:b:c' } });
      expect(query).toHaveBeenCalledTimes(2);
    } finally {
      pii.onModuleDestroy();
    }
  });
});
