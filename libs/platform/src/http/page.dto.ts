import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** The page size when the caller gives none. */
export const DEFAULT_PAGE_LIMIT = 50;
/** The largest page any list returns (`limit` above it is a 400 VALIDATION_FAILED on `limit`). */
export const MAX_PAGE_LIMIT = 500;
/** The deepest offset a list accepts (deeper is a 400 VALIDATION_FAILED on `offset`: narrow the filter instead of paging that far). */
export const MAX_PAGE_OFFSET = 100_000;

/**
 * limit/offset pagination of every list endpoint; list query DTOs extend it.
 * The defaults are applied here (the global validation pipe transforms to this class), so controllers
 * take `pageOf(q)` and never default `limit`/`offset` themselves. Every list answers with its total ({@link Page}),
 * unless the caller asks `?total=false` (then the list skips its count and answers `total: null`).
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

  @ApiPropertyOptional({
    type: 'boolean',
    default: true,
    description: 'false skips counting the matches: the list answers `total: null` (cheaper on large lists)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  total?: boolean = true;
}

/** The page a list reads: what repositories and services take. */
export interface PageRequest {
  limit: number;
  offset: number;
  /** Whether the list counts its matches (`TransactionHost.total`); absent means true. */
  withTotal?: boolean;
}

/**
 * The response shape of every list: the items of the page, the total matching the filter (null when the
 * list was asked with `total=false` and did not count), and the page read.
 */
export interface Page<T> {
  items: T[];
  total: number | null;
  limit: number;
  offset: number;
}

/**
 * The page of a list query: `{ limit, offset, withTotal }` with the defaults (also when the query did not pass the
 * validation pipe, e.g. a direct call in a unit test). The one place a page is defaulted.
 */
export function pageOf(q: Pick<PageQueryDto, 'limit' | 'offset' | 'total'> | undefined): PageRequest {
  return { limit: q?.limit ?? DEFAULT_PAGE_LIMIT, offset: q?.offset ?? 0, withTotal: q?.total ?? true };
}

/**
 * A list's answer: the service's `{ items, total }` (and anything else it returns, e.g. `asOf`) with the page that was
 * read. `total` is null when the page was asked without a total (`withTotal: false`).
 */
export function pageResult<R extends { items: unknown[]; total: number | null }>(
  page: PageRequest,
  result: R,
): R & { limit: number; offset: number } {
  return { ...result, limit: page.limit, offset: page.offset };
}
