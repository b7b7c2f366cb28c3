import { EventCatalogue } from '@eisss/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** README.md is a newcomer's map: it must list every topic of the catalogue and every service. */
describe('README.md', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it.each(EventCatalogue.map((c) => c.topic))('lists the topic %s when the catalogue has it', (topic) => {
    expect(readme).toContain(`\`${topic}\``);
  });

  it.each(['social-register', 'social-processing', 'verification', 'e-budget', 'payments-treasury', 'case-management'])(
    'describes the service %s',
    (svc) => {
      expect(readme).toContain(`### ${svc}`);
    },
  );
});
