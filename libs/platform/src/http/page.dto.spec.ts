import { ArgumentMetadata } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { statusOf } from '../errors/exception.filter';
import { createValidationPipe } from '../errors/validation.pipe';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, MAX_PAGE_OFFSET, PageQueryDto, pageOf, pageResult } from './page.dto';

class ThingQueryDto extends PageQueryDto {
  @IsOptional() @IsString() status?: string;
}

/** What a controller's `@Query() q: T` receives: the platform's global validation pipe on the raw query strings. */
async function query<T>(type: new () => T, raw: Record<string, string>): Promise<T> {
  const meta: ArgumentMetadata = { type: 'query', metatype: type, data: undefined };
  return (await createValidationPipe().transform(raw, meta)) as T;
}

async function refusal(raw: Record<string, string>, type: new () => unknown = PageQueryDto): Promise<DomainError> {
  try {
    await query(type, raw);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

describe('PageQueryDto', () => {
  it('defaults limit to 50 and offset to 0 when the query gives neither', async () => {
    const q = await query(PageQueryDto, {});
    expect(q).toBeInstanceOf(PageQueryDto);
    expect(q.limit).toBe(DEFAULT_PAGE_LIMIT);
    expect(DEFAULT_PAGE_LIMIT).toBe(50);
    expect(q.offset).toBe(0);
    expect(pageOf(q)).toEqual({ limit: 50, offset: 0, withTotal: true });
  });

  it('applies the defaults to a list DTO that extends it, beside its own filters', async () => {
    const q = await query(ThingQueryDto, { status: 'open' });
    expect(q).toMatchObject({ status: 'open', limit: 50, offset: 0 });
    const onlyOffset = await query(ThingQueryDto, { offset: '20' });
    expect(pageOf(onlyOffset)).toEqual({ limit: 50, offset: 20, withTotal: true });
  });

  it('turns the query strings into numbers', async () => {
    const q = await query(PageQueryDto, { limit: '10', offset: '30' });
    expect(pageOf(q)).toEqual({ limit: 10, offset: 30, withTotal: true });
  });

  it('accepts the bounds themselves: limit 1 and 500, offset 0 and 100 000', async () => {
    expect(MAX_PAGE_LIMIT).toBe(500);
    expect(MAX_PAGE_OFFSET).toBe(100_000);
    expect(pageOf(await query(PageQueryDto, { limit: '1', offset: '0' }))).toEqual({ limit: 1, offset: 0, withTotal: true });
    expect(pageOf(await query(PageQueryDto, { limit: '500', offset: '100000' }))).toEqual({ limit: 500, offset: 100_000, withTotal: true });
  });

  it.each([
    ['limit', { limit: '501' }, 'limit must not be greater than 500'],
    ['limit', { limit: '100000' }, 'limit must not be greater than 500'],
    ['limit', { limit: '0' }, 'limit must not be less than 1'],
    ['limit', { limit: '-5' }, 'limit must not be less than 1'],
    ['limit', { limit: 'abc' }, 'limit must be an integer number'],
    ['limit', { limit: '2.5' }, 'limit must be an integer number'],
    ['offset', { offset: '100001' }, 'offset must not be greater than 100000'],
    ['offset', { offset: '-1' }, 'offset must not be less than 0'],
    ['offset', { offset: 'x' }, 'offset must be an integer number'],
  ])('refuses %s %j with a 400 VALIDATION_FAILED naming the field', async (field, raw, message) => {
    const e = await refusal(raw);
    expect(statusOf(e.kind)).toBe(400);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.field).toBe(field);
    expect(e.message).toContain(message);
  });

  it('counts by default and turns ?total=true/false into booleans', async () => {
    const byDefault = await query(PageQueryDto, {});
    expect(byDefault.total).toBe(true);
    expect(pageOf(byDefault).withTotal).toBe(true);
    expect(pageOf(await query(PageQueryDto, { total: 'true' })).withTotal).toBe(true);
    const skip = await query(ThingQueryDto, { status: 'open', total: 'false', limit: '5' });
    expect(skip.total).toBe(false);
    expect(pageOf(skip)).toEqual({ limit: 5, offset: 0, withTotal: false });
  });

  it.each([['maybe'], ['0'], ['yes']])('refuses total=%s with a 400 VALIDATION_FAILED on total', async (value) => {
    const e = await refusal({ total: value });
    expect(statusOf(e.kind)).toBe(400);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.field).toBe('total');
    expect(e.message).toContain('total must be a boolean value');
  });

  it('refuses a bad page on a list DTO that extends it, on the page field', async () => {
    const e = await refusal({ status: 'open', offset: '1000000' }, ThingQueryDto);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.field).toBe('offset');
  });
});

describe('pageOf / pageResult', () => {
  it('defaults a query that did not pass the pipe (a direct call)', () => {
    expect(pageOf({})).toEqual({ limit: 50, offset: 0, withTotal: true });
    expect(pageOf(undefined)).toEqual({ limit: 50, offset: 0, withTotal: true });
    expect(pageOf({ limit: 7 })).toEqual({ limit: 7, offset: 0, withTotal: true });
  });

  it('counts when the page does not say (a literal { limit, offset }) and not when withTotal is false', () => {
    expect(pageOf({ limit: 3, total: false })).toEqual({ limit: 3, offset: 0, withTotal: false });
    expect(pageResult({ limit: 3, offset: 0, withTotal: false }, { items: ['a'], total: null })).toEqual({
      items: ['a'],
      total: null,
      limit: 3,
      offset: 0,
    });
  });

  it('answers with the items, the total and the page read, keeping what else the list returns', () => {
    expect(pageResult({ limit: 2, offset: 4 }, { items: ['a', 'b'], total: 9 })).toEqual({
      items: ['a', 'b'],
      total: 9,
      limit: 2,
      offset: 4,
    });
    expect(pageResult({ limit: 2, offset: 0 }, { asOf: '2026-11-01', items: [], total: 0 })).toEqual({
      asOf: '2026-11-01',
      items: [],
      total: 0,
      limit: 2,
      offset: 0,
    });
  });
});
