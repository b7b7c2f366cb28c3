import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** limit/offset pagination of list endpoints (the response carries the total): limit capped at 500, offset bounded. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1_000_000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export const DEFAULT_PAGE_LIMIT = 50;

export function pageOf(q: PageQueryDto): { limit: number; offset: number } {
  return { limit: q.limit ?? DEFAULT_PAGE_LIMIT, offset: q.offset ?? 0 };
}
