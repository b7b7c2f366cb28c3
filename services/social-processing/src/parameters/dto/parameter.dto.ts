import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const DATE = { strict: true, strictSeparator: true } as const;
const KEY = /^[a-z0-9][a-z0-9.-]*$/;

export class AddParameterDto {
  @ApiProperty({ example: 'subsistence-minimum.able-bodied', description: 'a key the programmes read (GET /parameters lists them)' })
  @IsString()
  @Matches(KEY)
  @MaxLength(100)
  key!: string;

  @ApiProperty({
    example: '345000',
    description: 'a non-negative integer as a decimal string: kopiyky for money, a count, or a percentage (55 = 55 %)',
  })
  @IsString()
  @Matches(/^(0|[1-9][0-9]{0,14})$/, { message: 'value must be a non-negative integer as a decimal string' })
  value!: string;

  @ApiProperty({
    example: '2026-07-01',
    description: 'the date from which the value is in force (a month is paid with the row in force on its first day)',
  })
  @IsISO8601(DATE)
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveFrom!: string;

  @ApiProperty({ example: 'Закон про Державний бюджет України на 2026 рік, ст. 7 (ред. від 01.07.2026)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  legalSource!: string;

  @ApiProperty({ example: 'the budget law was amended' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class ParameterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'one key (its whole history); all keys when absent' })
  @IsOptional()
  @IsString()
  @Matches(KEY)
  @MaxLength(100)
  key?: string;
  @ApiPropertyOptional({ description: 'the date for `inForce` (default today, Europe/Kyiv)', example: '2026-06-01' })
  @IsOptional()
  @IsISO8601(DATE)
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  on?: string;
}

export class ParameterRowDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'insertion order: for the same key and date the later row wins' }) seq!: string;
  @ApiProperty() key!: string;
  @ApiProperty({ description: 'decimal string (kopiyky, a count or a percentage)' }) value!: string;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty() legalSource!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'who asked (the migration for seeded rows)' }) requestedBy!: string;
  @ApiPropertyOptional({ nullable: true, description: 'the second person who approved it (null for seeded rows)' }) approvedBy!:
    string | null;
  @ApiPropertyOptional({ nullable: true }) approvalId!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'whether this is the row in force on `on`' }) inForce!: boolean;
}

export class ParameterPageDto {
  @ApiProperty() on!: string;
  @ApiProperty({ type: [ParameterRowDto] }) items!: ParameterRowDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
