import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { FindingDto } from '../../findings/dto/finding.dto';

export class CurrentRunQueryDto {
  @ApiProperty({ description: 'the month checked, YYYY-MM', example: '2026-11' })
  @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month!: string;
}

export class RetrospectiveCheckDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the person checked (or give assignmentId)' })
  @IsOptional()
  @IsUUID()
  personId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the assignment whose recipient and members are checked' })
  @IsOptional()
  @IsUUID()
  assignmentId?: string;
  @ApiProperty({ example: '2026-03-01', description: 'calendar date YYYY-MM-DD' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  periodFrom!: string;
  @ApiProperty({ example: '2026-08-31', description: 'calendar date YYYY-MM-DD, not after today' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  periodTo!: string;
  @ApiPropertyOptional({ description: 'client request id: a retry with the same id returns the first check' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientRequestId?: string;
}

export class CheckRunDto {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ enum: ['current', 'retrospective'] }) kind!: string;
  @ApiPropertyOptional({ nullable: true, example: '2026-11' }) month!: string | null;
  @ApiPropertyOptional({ nullable: true }) personId!: string | null;
  @ApiPropertyOptional({ nullable: true }) assignmentId!: string | null;
  @ApiProperty() periodFrom!: string;
  @ApiProperty() periodTo!: string;
  @ApiProperty({ example: 'UA' }) territory!: string;
  @ApiProperty() startedBy!: string;
  @ApiProperty() personsChecked!: number;
  @ApiProperty() findingsRaised!: number;
  @ApiPropertyOptional({ nullable: true }) clientRequestId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CurrentRunResultDto {
  @ApiProperty({ type: CheckRunDto }) run!: CheckRunDto;
  @ApiProperty({ description: 'active assignments checked (0 when a retried client request id returns the earlier run)' })
  assignmentsChecked!: number;
  @ApiProperty({ type: [FindingDto], description: 'the new findings (each raised as FindingRaisedV1)' }) findings!: FindingDto[];
}

export class RetrospectiveResultDto {
  @ApiProperty({ type: CheckRunDto }) run!: CheckRunDto;
  @ApiProperty({ type: [FindingDto], description: 'all findings for the subject and period, new and found before' })
  findings!: FindingDto[];
  @ApiProperty({ type: [String], description: 'ids of the findings raised by this check' }) newFindingIds!: string[];
}
