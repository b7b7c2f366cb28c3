import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class ExtensionCheckQueryDto {
  @ApiPropertyOptional({
    description: 'the day of the check (YYYY-MM-DD, not later than today; default today in Kyiv)',
    example: '2026-09-15',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  on?: string;
}

export class ExtensionCheckItemDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ description: 'first month of the automatic extension checked', example: '2026-09' }) extendedFrom!: string;
  @ApiProperty() passed!: boolean;
  @ApiProperty({ enum: ['terminated', 'unchanged', 'changed'] }) outcome!: string;
  @ApiProperty({ description: "kopiyky, from the tax service's income facts of the 3 months before the extension" })
  averageMonthlyIncomePerPersonKopiyky!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
}

export class ExtensionCheckResultDto {
  @ApiProperty() on!: string;
  @ApiProperty() checked!: number;
  @ApiProperty() stopped!: number;
  @ApiProperty({ type: [ExtensionCheckItemDto] }) items!: ExtensionCheckItemDto[];
}
