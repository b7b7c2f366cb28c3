import { PG_CLIENT_ERRORS, isUniqueViolation, pgErrorCode } from './pg-errors';

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

describe('PG_CLIENT_ERRORS', () => {
  it('maps client-caused database errors to 4xx and concurrency failures to 503, when the code is known', () => {
    expect(PG_CLIENT_ERRORS[pgErrorCode({ driverError: { code: '23505' } })!]).toMatchObject({ status: 409, code: 'UNIQUE_VIOLATION' });
    expect(PG_CLIENT_ERRORS[pgErrorCode({ code: '22P02' })!]).toMatchObject({ status: 400 });
    expect(PG_CLIENT_ERRORS[pgErrorCode({ driverError: { code: '22021' } })!]).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(PG_CLIENT_ERRORS[pgErrorCode({ code: '40001' })!]).toMatchObject({ status: 503 });
    expect(pgErrorCode({ code: 'ECONNREFUSED' })).toBeUndefined();
  });
});
