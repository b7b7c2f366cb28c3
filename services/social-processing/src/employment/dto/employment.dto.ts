import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class EmploymentCheckQueryDto {
  @ApiPropertyOptional({
    description: 'the day of the check (YYYY-MM-DD, not later than today; default today in Kyiv)',
    example: '2026-06-11',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  on?: string;
}

export class EmploymentChangeDto {
  @ApiProperty() personId!: string;
  @ApiProperty({ enum: ['stop', 'restored', 'stop-lifted', 'seventh-payment'] }) change!: string;
  @ApiProperty({ description: 'first day of the term the duty is counted from', example: '2026-03-10' }) termStart!: string;
  @ApiProperty({ description: 'month from which the change applies (the extra amount: the month it is added to)', example: '2026-07' })
  fromMonth!: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-06-10' }) deadline!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the 7th payment, kopiyky', example: '200000' }) amountKopiyky!: string | null;
  @ApiProperty({ description: 'what happened, with the rule and the clause' }) text!: string;
}

export class EmploymentCheckItemDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty({ description: 'the assignment version after the check' }) version!: number;
  @ApiProperty({ enum: ['changed', 'terminated', 'unchanged'] }) outcome!: string;
  @ApiProperty({ type: [EmploymentChangeDto] }) changes!: EmploymentChangeDto[];
}

export class EmploymentCheckResultDto {
  @ApiProperty({ example: '2026-06-11' }) on!: string;
  @ApiProperty({ description: "open IDP assignments of the caller's territory checked" }) checked!: number;
  @ApiProperty({ description: 'assignments given a new version (or new facts)' }) changed!: number;
  @ApiProperty({ type: [EmploymentCheckItemDto] }) items!: EmploymentCheckItemDto[];
}
