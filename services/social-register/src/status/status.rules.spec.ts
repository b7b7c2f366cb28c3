import { DomainError } from '@eisss/platform';
import { validateStatusDetails } from './status.rules';

describe(validateStatusDetails.name, () => {
  const idp = { certificateNumber: '0000-1234567890', certificateDate: '2026-03-01', originKatottg: 'UA14000000000000000' };

  it('accepts an IDP status when the certificate and region of origin are given', () => {
    expect(() => validateStatusDetails('idp', idp, '2026-03-01')).not.toThrow();
  });

  it('names the field when the IDP region of origin is not a КАТОТТГ code', () => {
    try {
      validateStatusDetails('idp', { ...idp, originKatottg: 'Донецьк' }, '2026-03-01');
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('STATUS_DETAILS_INVALID');
      expect((e as DomainError).field).toBe('details.originKatottg');
    }
  });

  it('refuses a disability status when the group is not I–III', () => {
    expect(() => validateStatusDetails('disability', { group: 'IV' }, '2026-01-01')).toThrow(/group I, II or III/);
  });

  it('accepts a large family without details', () => {
    expect(() => validateStatusDetails('large_family', {}, '2026-01-01')).not.toThrow();
  });
});
