import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

const KATOTTG_PREFIX = /^UA[0-9]{0,17}$/;

export const FindingStatuses = ['open', 'accepted', 'rejected', 'actioned'] as const;
export const FindingKinds = ['preventive', 'current', 'retrospective'] as const;
export const RecommendedActions = ['none', 'review', 'refuse', 'suspend', 'stop_payment'] as const;

export class EvidenceDto {
  @ApiProperty({ description: 'register the fact came from', example: 'border-guard' }) source!: string;
  @ApiProperty({ description: 'the register record reference', example: 'dpsu-2026-000001' }) reference!: string;
  @ApiProperty({
    description: 'the facts relied on',
    type: 'object',
    additionalProperties: true,
    example: { direction: 'exit', crossedOn: '2026-09-01' },
  })
  facts!: Record<string, unknown>;
}

export class FindingDto {
  @ApiProperty({ format: 'uuid' }) findingId!: string;
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({
    example: 'abroad',
    description:
      'death, abroad, abroad-at-application, abroad-over-90-days, deposit-over-threshold, vehicle, purchase-over-threshold, housing-area, income-over-threshold, duplicate-registration',
  })
  rule!: string;
  @ApiProperty({ enum: RecommendedActions }) recommendedAction!: string;
  @ApiPropertyOptional({ nullable: true, example: '2026-10-01', description: 'calendar date from which the action applies' })
  effectiveDate!: string | null;
  @ApiPropertyOptional({
    enum: ['none', 'officer'],
    nullable: true,
    description: 'none: the act leaves no discretion, processing acts at once; officer: waits for an accepted decision',
  })
  discretion!: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'КМУ № 332, Порядок, п. 8', description: 'act and clause of the rule' }) legalBasis!:
    string | null;
  @ApiProperty({ type: [EvidenceDto] }) evidence!: EvidenceDto[];
  @ApiProperty({ enum: FindingKinds }) kind!: string;
  @ApiProperty({ enum: FindingStatuses }) status!: string;
  @ApiProperty({ example: 'UA80000000000093317' }) katottg!: string;
  @ApiProperty({ type: [String] }) assignmentIds!: string[];
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) requestId!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) runId!: string | null;
  @ApiProperty({ example: '2026-06-01' }) periodFrom!: string;
  @ApiProperty({ example: '2026-11-30' }) periodTo!: string;
  @ApiPropertyOptional({ nullable: true }) decidedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) decisionReason!: string | null;
  @ApiProperty() createdAt!: string;
}

export class FindingPageDto {
  @ApiProperty({ type: [FindingDto] }) items!: FindingDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class ListFindingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: FindingStatuses }) @IsOptional() @IsIn(FindingStatuses) status?: (typeof FindingStatuses)[number];
  @ApiPropertyOptional({ description: 'КАТОТТГ code or prefix (within your territory)', example: 'UA80' })
  @IsOptional()
  @Matches(KATOTTG_PREFIX, { message: 'katottg must be UA followed by up to 17 digits' })
  katottg?: string;
  @ApiPropertyOptional({ example: 'abroad' }) @IsOptional() @IsString() @MaxLength(64) rule?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() personId?: string;
  @ApiPropertyOptional({ enum: FindingKinds }) @IsOptional() @IsIn(FindingKinds) kind?: (typeof FindingKinds)[number];
}

export class DecideFindingDto {
  @ApiProperty({ description: 'why the officer accepts or rejects the finding', example: 'confirmed by the border guard certificate' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

export class ExportFindingsQueryDto {
  @ApiPropertyOptional({ enum: ['accepted'], default: 'accepted', description: 'only confirmed (accepted) findings are exported' })
  @IsOptional()
  @IsIn(['accepted'])
  status?: 'accepted';
  @ApiPropertyOptional({ description: 'КАТОТТГ code or prefix', example: 'UA80' })
  @IsOptional()
  @Matches(KATOTTG_PREFIX, { message: 'katottg must be UA followed by up to 17 digits' })
  katottg?: string;
}

export class ExportCaseDto extends FindingDto {}

export class FindingsExportDto {
  @ApiProperty() exportedAt!: string;
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty({ example: 'UA' }) territory!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ type: [ExportCaseDto], description: 'confirmed cases with their evidence' }) cases!: ExportCaseDto[];
}
