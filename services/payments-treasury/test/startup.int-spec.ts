import { ServiceProcess, TestEnvironment } from '@eisss/testing';

/** Production without its money settings does not start (dist/main.js, as deployed). */
describe('payments-treasury start-up', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await TestEnvironment.create({ topics: false });
  });

  afterAll(async () => {
    await env?.destroy();
  });

  it('fails to start in production with a message naming the missing paying-account and key variables', async () => {
    // Empty values count as unset (the platform's loadConfig): the variables are absent.
    const started = ServiceProcess.start('payments-treasury', {
      ...env.env('payments-treasury', { NODE_ENV: 'production' }),
      TREASURY_DEBTOR_IBAN: '',
      TREASURY_DEBTOR_NAME: '',
      TREASURY_DEBTOR_EDRPOU: '',
      // Production refuses the committed test keys: a provider of its own (its keys are fetched on the first token).
      AUTH_JWKS: '',
      AUTH_JWKS_URL: 'https://idp.example.invalid/realms/eisss/protocol/openid-connect/certs',
    });
    const message = await started.then(
      async (p) => {
        await p.stop();
        return 'started';
      },
      (e: Error) => e.message,
    );
    expect(message).toMatch(/exited with 1 before ready/);
    expect(message).toMatch(/payments-treasury: .*invalid configuration/);
    for (const name of ['TREASURY_DEBTOR_IBAN', 'TREASURY_DEBTOR_NAME', 'TREASURY_DEBTOR_EDRPOU'])
      expect(message).toContain(`${name}: must be set in production`);
    // Nor without its own unsealing and personal-data keys (the development keys are refused there).
    for (const name of ['SEAL_KEYS', 'PII_MASTER_KEYS', 'PII_HMAC_KEY']) expect(message).toContain(`${name}: required in production`);
  });
});
