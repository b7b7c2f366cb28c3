import { DomainError } from './domain-error';

describe('DomainError factories', () => {
  it('take (code, message, field?, details?) in that order, each with its kind', () => {
    const details = { id: 'x' };
    expect(
      [
        DomainError.validation('C', 'm', 'f', details),
        DomainError.notFound('C', 'm', 'f', details),
        DomainError.conflict('C', 'm', 'f', details),
        DomainError.unprocessable('C', 'm', 'f', details),
      ].map((e) => [e.kind, e.code, e.message, e.field, e.details]),
    ).toEqual([
      ['validation', 'C', 'm', 'f', details],
      ['not_found', 'C', 'm', 'f', details],
      ['conflict', 'C', 'm', 'f', details],
      ['unprocessable', 'C', 'm', 'f', details],
    ]);
    expect(DomainError.conflict('C', 'm', undefined, details)).toMatchObject({ field: undefined, details });
    expect(DomainError.forbidden('C', 'm')).toMatchObject({ kind: 'forbidden', field: undefined });
  });
});
