import type { ArgumentsHost } from '@nestjs/common';
import { NotFoundException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { PlatformExceptionFilter, type ErrorBody } from './exception.filter';

describe(PlatformExceptionFilter.name, () => {
  function run(exception: unknown): { status: number; body: ErrorBody } {
    const out: { status: number; body: ErrorBody } = { status: 0, body: { error: { code: '', message: '' } } };
    const res = { headersSent: false, status: (s: number) => ((out.status = s), res), json: (b: ErrorBody) => ((out.body = b), res) };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'POST', route: { path: '/x' } }) }),
    } as unknown as ArgumentsHost;
    new PlatformExceptionFilter().catch(exception, host);
    return out;
  }

  it('answers a domain error with its status, code and field', () => {
    const r = run(DomainError.validation('RNOKPP_INVALID', 'bad', 'rnokpp'));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'RNOKPP_INVALID', field: 'rnokpp' });
  });

  it('answers 409 UNIQUE_VIOLATION, not 500, when a concurrent duplicate hits a unique index the service did not map', () => {
    const r = run(Object.assign(new Error('duplicate key value violates unique constraint'), { driverError: { code: '23505' } }));
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('UNIQUE_VIOLATION');
    expect(r.body.error.message).not.toContain('duplicate key');
  });

  it('answers an unknown route with ROUTE_NOT_FOUND', () => {
    expect(run(new NotFoundException('Cannot GET /nope')).body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers an unexpected error with 500 and an error id, without its message', () => {
    const r = run(new TypeError('secret internals'));
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('INTERNAL_ERROR');
    expect(r.body.error.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(r.body)).not.toContain('secret internals');
  });
});

describe('PlatformExceptionFilter in an event handler (rpc context)', () => {
  it('hands the error back unchanged, so the InboxConsumer can tell a transient failure from a poison message', async () => {
    const { lastValueFrom } = await import('rxjs');
    const { TransientError } = await import('./domain-error');
    const error = new TransientError('database hiccup');
    const host = { getType: () => 'rpc' } as unknown as ArgumentsHost;
    const out = new PlatformExceptionFilter().catch(error, host);
    await expect(lastValueFrom(out!)).rejects.toBe(error);
  });
});
