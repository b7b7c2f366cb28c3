import { isUniqueViolation } from './pg-errors';

describe(isUniqueViolation.name, () => {
  it('recognises a unique violation on the named index when TypeORM wraps the driver error', () => {
    const err = { driverError: { code: '23505', constraint: 'person_rnokpp_uq' } };
    expect(isUniqueViolation(err)).toBe(true);
    expect(isUniqueViolation(err, 'person_rnokpp_uq')).toBe(true);
    expect(isUniqueViolation(err, 'person_unzr_uq')).toBe(false);
  });

  it('ignores other errors', () => {
    expect(isUniqueViolation(new Error('boom'))).toBe(false);
    expect(isUniqueViolation({ code: '40001' })).toBe(false);
  });
});
