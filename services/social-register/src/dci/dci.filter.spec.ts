import { DomainError, PlatformErrorCode } from '@eisss/platform';
import { DciSpec } from './dci-spec';
import { dciAnswerOf } from './dci.filter';

describe('DciExceptionFilter', () => {
  const spec = DciSpec.get();

  it.each([PlatformErrorCode.VALIDATION_FAILED, PlatformErrorCode.MALFORMED_JSON])('answers the platform’s %s with a spec-shaped ERR acknowledgement and 400', (code) => {
    const answer = dciAnswerOf(DomainError.validation(code, 'body: strings must be well-formed'));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ message: { ack_status: 'ERR', error: { code: 'err.request.bad' } } });
    expect(spec.validateAck(answer.body)).toEqual([]);
  });

  it('answers every kind of domain error with a 4xx (or 503) in a DCI shape, never a 500', () => {
    const kinds = [
      DomainError.notFound('X', 'x'),
      DomainError.conflict('X', 'x'),
      DomainError.unprocessable('X', 'x'),
      DomainError.forbidden('X', 'x'),
      new DomainError('X', 'x', 'unauthorized'),
      new DomainError('X', 'x', 'unavailable'),
    ];
    for (const e of kinds) {
      const a = dciAnswerOf(e);
      expect(a.status).not.toBe(500);
      const body = a.body as { message?: unknown; errors?: unknown[] };
      if (body.message) expect(spec.validateAck(body)).toEqual([]);
      else expect(body.errors).toHaveLength(1);
    }
  });
});
