import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The page size when the caller gives none. */
export const DEFAULT_PAGE_LIMIT = 50;
/** The largest page any list returns (`limit` above it is a 400 VALIDATION_FAILED on `limit`). */
export const MAX_PAGE_LIMIT = 500;
/** The deepest offset a list accepts (deeper is a 400 VALIDATION_FAILED on `offset`: narrow the filter instead of paging that far). */
export const MAX_PAGE_OFFSET = 100_000;

/**
 * limit/offset pagination of every list endpoint; list query DTOs extend it.
 * The defaults are applied here (the global validation pipe transforms to this class), so controllers
 * take `pageOf(q)` and never default `limit`/`offset` themselves. Every list answers with its total ({@link Page}).
 */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', default: DEFAULT_PAGE_LIMIT, minimum: 1, maximum: MAX_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number = DEFAULT_PAGE_LIMIT;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: MAX_PAGE_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_OFFSET)
  offset?: number = 0;
}

/** The page a list reads: what repositories and services take. */
export interface PageRequest {
  limit: number;
  offset: number;
}

/** The response shape of every list: the items of the page, the total matching the filter, and the page read. */
export interface Page<T> extends PageRequest {
  items: T[];
  total: number;
}

/**
 * The page of a list query: `{ limit, offset }` with the defaults (also when the query did not pass the
 * validation pipe, e.g. a direct call in a unit test). The one place a page is defaulted.
 */
export function pageOf(q: Pick<PageQueryDto, 'limit' | 'offset'> | undefined): PageRequest {
  return { limit: q?.limit ?? DEFAULT_PAGE_LIMIT, offset: q?.offset ?? 0 };
}

/** A list's answer: the service's `{ items, total }` (and anything else it returns, e.g. `asOf`) with the page that was read. */
export function pageResult<R extends { items: unknown[]; total: number }>(page: PageRequest, result: R): R & PageRequest {
  return { ...result, limit: page.limit, offset: page.offset };
}
