import { DomainError, PlatformErrorCode } from '@eisss/platform';
import { ForbiddenException, HttpException, NotFoundException, UnauthorizedException, type ArgumentsHost } from '@nestjs/common';
import { DciSpec } from './dci-spec';
import { DciError, DciErrorCode } from './dci.errors';
import { DciExceptionFilter, dciAnswerOf } from './dci.filter';

describe('DciExceptionFilter', () => {
  const spec = DciSpec.get();

  it.each([PlatformErrorCode.VALIDATION_FAILED, PlatformErrorCode.MALFORMED_JSON])(
    'answers the platform’s %s with a spec-shaped ERR acknowledgement and 400',
    (code) => {
      const answer = dciAnswerOf(DomainError.validation(code, 'body: strings must be well-formed'), new Date());
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ message: { ack_status: 'ERR', error: { code: 'err.request.bad' } } });
      expect(spec.validateAck(answer.body)).toEqual([]);
    },
  );

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
      const a = dciAnswerOf(e, new Date());
      expect(a.status).not.toBe(500);
      const body = a.body as { message?: unknown; errors?: unknown[] };
      if (body.message) expect(spec.validateAck(body)).toEqual([]);
      else expect(body.errors).toHaveLength(1);
    }
  });
});

describe('DciExceptionFilter on the /registry routes', () => {
  const spec = DciSpec.get();
  const answer = (exception: unknown) => {
    const res = {
      headersSent: false,
      statusCode: 0,
      body: undefined as unknown,
      status(s: number) {
        this.statusCode = s;
        return this;
      },
      json(b: unknown) {
        this.body = b;
        return this;
      },
    };
    const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
    new DciExceptionFilter().catch(exception, host);
    return { status: res.statusCode, body: res.body as { errors?: { code: string; message: string }[]; message?: unknown } };
  };
  const httpErrorResponse = (body: unknown) => {
    // components.responses.HttpErrorResponse: { errors: [{ code, message }] }
    expect(Object.keys(body as object)).toEqual(['errors']);
    const errors = (body as { errors: unknown[] }).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual({ code: expect.any(String), message: expect.any(String) });
    expect(spec.enumOf('Error', 'code')).toContain((errors[0] as { code: string }).code);
  };

  it('answers the platform guard’s 401 and 403 (paths.*.responses 401/403: HttpErrorResponse) with errors[]{code,message}', () => {
    const unauthorized = answer(new UnauthorizedException('no bearer token'));
    expect(unauthorized.status).toBe(401);
    httpErrorResponse(unauthorized.body);
    expect(unauthorized.body.errors![0]!.code).toBe('err.request.unauthorized');
    const forbidden = answer(new ForbiddenException('role not allowed'));
    expect(forbidden.status).toBe(403);
    httpErrorResponse(forbidden.body);
    expect(forbidden.body.errors![0]!.code).toBe('err.request.forbidden');
    const domain = answer(DomainError.forbidden('TERRITORY_FORBIDDEN', 'x'));
    expect(domain.status).toBe(403);
    httpErrorResponse(domain.body);
  });

  it('answers the register’s own signature and sender checks (401/403) with errors[] as well as the ERR acknowledgement (Error: "message integrity check fails"), the same code in both', () => {
    for (const [e, status] of [
      [new DciError(DciErrorCode.SIGNATURE_MISSING, 'unsigned', 401), 401],
      [new DciError(DciErrorCode.SIGNATURE_INVALID, 'bad signature', 401), 401],
      [new DciError(DciErrorCode.SENDER_ID_INVALID, 'not registered', 403), 403],
      [new DciError(DciErrorCode.REQUEST_FORBIDDEN, 'action not allowed', 403), 403],
    ] as const) {
      const a = answer(e);
      expect(a.status).toBe(status);
      expect(a.body.errors).toEqual([{ code: e.code, message: e.message }]);
      expect(spec.validateAck(a.body)).toEqual([]);
      expect(a.body.message).toMatchObject({ ack_status: 'ERR', error: { code: e.code } });
    }
  });

  it('answers other refusals with an ERR acknowledgement (the default Response), e.g. 400, 404, 429', () => {
    for (const e of [
      new DciError(DciErrorCode.REQUEST_BAD, 'bad'),
      new NotFoundException('x'),
      new HttpException('slow down', 429),
      new DciError(DciErrorCode.REQUEST_TOO_MANY, 'quota', 429),
    ]) {
      const a = answer(e);
      expect(spec.validateAck(a.body)).toEqual([]);
      expect(a.body.message).toMatchObject({ ack_status: 'ERR' });
    }
    expect((answer(new HttpException('slow down', 429)).body.message as { error: { code: string } }).error.code).toBe(
      'err.request.too_many_requests',
    );
  });
});
