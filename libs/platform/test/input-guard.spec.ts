import { Role } from '@eisss/contracts';
import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  Get,
  INestApplication,
  Module,
  Post,
  Query,
  UseFilters,
  type ExceptionFilter,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, NestFactory } from '@nestjs/core';
import { Type, plainToInstance } from 'class-transformer';
import { IsOptional, IsString, ValidateNested } from 'class-validator';
import type { Response } from 'express';
import request from 'supertest';
import { TEST_ISSUER, TEST_JWKS, signTestToken } from '../../testing/src/test-keys';
import { AuthGuard } from '../src/auth/auth.guard';
import { TokenVerifier } from '../src/auth/token-verifier';
import { configureApp } from '../src/bootstrap/bootstrap';
import { DomainError } from '../src/errors/domain-error';
import { PlatformExceptionFilter } from '../src/errors/exception.filter';
import { createValidationPipe } from '../src/errors/validation.pipe';

class ApplicantDto {
  @IsString() lastName!: string;
}
class ApplicationDto {
  @ValidateNested() @Type(() => ApplicantDto) applicant!: ApplicantDto;
  @IsOptional() @IsString() note?: string;
}
class SearchDto {
  @IsOptional() @IsString() q?: string;
}

@Controller('applications')
class ApplicationsController {
  @Post()
  create(@Body() body: ApplicationDto) {
    return { lastName: body.applicant.lastName };
  }

  @Get()
  search(@Query() q: SearchDto) {
    return { q: q.q ?? null };
  }
}

/** A controller with its own envelope, like the register's DCI controller. */
@Catch()
class EnvelopeFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof DomainError && exception.kind === 'validation' ? 400 : 500;
    res.status(status).json({ message: { ack_status: 'ERR', error: { code: 'err.request.bad', message: (exception as Error).message } } });
  }
}

@Controller('registry')
@UseFilters(EnvelopeFilter)
class EnvelopeController {
  @Post('search')
  search(@Body() body: unknown) {
    return { ok: body !== undefined };
  }
}

@Module({
  controllers: [ApplicationsController, EnvelopeController],
  providers: [
    {
      provide: TokenVerifier,
      useValue: new TokenVerifier({ issuer: TEST_ISSUER, audience: 'spec', jwks: TEST_JWKS, refuseDevelopmentKeys: false }),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: PlatformExceptionFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
class TestModule {}

describe('RequestInputGuard in a service app', () => {
  let app: INestApplication;
  const token = signTestToken({ sub: 'u', roles: [Role.Officer], territory: 'UA' }, { audience: 'spec' });
  const post = (path: string, raw: string, auth = true) => {
    const r = request(app.getHttpServer()).post(path).set('content-type', 'application/json');
    return (auth ? r.set('authorization', `Bearer ${token}`) : r).send(raw);
  };
  const deep = (n: number) => `{"applicant":{"lastName":"x"},"extra":${'['.repeat(n)}${']'.repeat(n)}}`;

  beforeAll(async () => {
    app = await NestFactory.create(TestModule, { logger: false });
    configureApp(app, { service: 'spec', title: 'spec', description: 'spec' });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('accepts a good body', async () => {
    const res = await post('/applications', JSON.stringify({ applicant: { lastName: 'Шевченко 😀' } }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ lastName: 'Шевченко 😀' });
  });

  it('answers 400 JSON_TOO_DEEP, not 500, when the body nests 10 000 levels deep', async () => {
    const res = await post('/applications', deep(10_000));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'JSON_TOO_DEEP', details: { location: 'body', maxDepth: 32 } });
    expect(res.body.error.field).toMatch(/^extra(\.0)+$/);
  });

  it('answers 400 VALIDATION_FAILED with the field when a string or a key holds a NUL or a lone surrogate', async () => {
    const nul = await post('/applications', '{"applicant":{"lastName":"Ше\\u0000вченко"}}');
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'applicant.lastName',
      details: { location: 'body', reason: 'nul_character' },
    });
    const lone = await post('/applications', '{"applicant":{"lastName":"x"},"note":"a\\ud800b"}');
    expect(lone.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'note', details: { reason: 'lone_surrogate' } });
    const key = await post('/applications', '{"applicant":{"lastName":"x","\\u0000":1}}');
    expect(key.status).toBe(400);
    expect(key.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'applicant.\\u0000' });
  });

  it('refuses a NUL in the query string with the parameter as the field', async () => {
    const res = await request(app.getHttpServer()).get('/applications?q=a%00b').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'q', details: { location: 'query' } });
    const fine = await request(app.getHttpServer()).get('/applications?q=%D0%A8').set('authorization', `Bearer ${token}`);
    expect(fine.body).toEqual({ q: 'Ш' });
  });

  it('lets a controller-scoped filter answer in its own envelope when the input is refused', async () => {
    const res = await post('/registry/search', deep(10_000));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatchObject({ ack_status: 'ERR', error: { code: 'err.request.bad' } });
    const lone = await post('/registry/search', '{"header":{"sender_id":"a\\ud800"}}');
    expect(lone.status).toBe(400);
    expect(lone.body.message.error.message).toContain('header.sender_id');
  });

  it('checks the token first: no token is 401 whatever the body', async () => {
    const res = await post('/applications', deep(10_000), false);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('keeps MALFORMED_JSON and 413 PAYLOAD_TOO_LARGE from the body parser', async () => {
    const bad = await post('/applications', '{"applicant": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('MALFORMED_JSON');
    const huge = await post('/applications', JSON.stringify({ applicant: { lastName: 'x'.repeat(200_000) } }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('guards against the real overflow: class-transformer recurses into a deep body (what made these 500s)', () => {
    expect(() => plainToInstance(ApplicationDto, JSON.parse(deep(10_000)))).toThrow(RangeError);
  });
});
