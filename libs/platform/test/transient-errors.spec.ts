import { DomainError, TransientError, isTransient } from '../src/errors/domain-error';

describe(isTransient.name, () => {
  it('retries what a lost or closed database answers', () => {
    // What pg reports while the database is closed to connections (ALTER DATABASE ... ALLOW_CONNECTIONS false)
    expect(isTransient(Object.assign(new Error('database "eisss_t_1" is not currently accepting connections'), { code: '55000' }))).toBe(
      true,
    );
    // ... and for the sessions pg_terminate_backend ended
    expect(isTransient(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient({ driverError: { code: '40001' }, message: 'could not serialize access' })).toBe(true);
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransient(new TransientError('hiccup'))).toBe(true);
    // A statement prepared before a migration changed its table (StatementCachingClient runs it unnamed on the retry)
    expect(isTransient(Object.assign(new Error('cached plan must not change result type'), { code: '0A000' }))).toBe(true);
  });

  it('does not retry logic errors, including other errors of SQLSTATE 55000', () => {
    expect(isTransient(Object.assign(new Error('currval of sequence "s" is not yet defined in this session'), { code: '55000' }))).toBe(
      false,
    );
    expect(isTransient({ driverError: { code: '23505' }, message: 'duplicate key value' })).toBe(false);
    expect(isTransient(DomainError.conflict('X', 'Connection terminated'))).toBe(false);
    expect(isTransient(new Error('boom'))).toBe(false);
  });
});
