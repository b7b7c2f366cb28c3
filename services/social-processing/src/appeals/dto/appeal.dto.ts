import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const AppealChannels = ['diia', 'cnap', 'office'] as const;
export const AppealOutcomes = ['upheld', 'dismissed'] as const;
const DATE = { strict: true, strictSeparator: true } as const;

export class RepresentativeDto {
  @ApiProperty({ example: 'Петренко Іван Олегович' }) @IsString() @IsNotEmpty() @MaxLength(200) fullName!: string;
  @ApiProperty({
    description: 'the document of authority (довіреність, рішення про опіку): type, number and date',
    example: 'довіреність ННЕ 123456 від 01.03.2026',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  authorityDocument!: string;
}

export class FileAppealDto {
  @ApiProperty({ description: 'client request id: a retry with the same id returns the same appeal', example: 'diia-appeal-7f3a9c20-0001' })
  @IsString()
  @MinLength(8)
  @MaxLength(100)
  clientRequestId!: string;
  @ApiPropertyOptional({ description: 'the application whose decision (refusal, or the amount granted) is appealed; or give assignmentId' })
  @IsOptional()
  @IsUUID()
  applicationId?: string;
  @ApiPropertyOptional({ description: 'the assignment whose version (amount, stop, recalculation) is appealed' })
  @IsOptional()
  @IsUUID()
  assignmentId?: string;
  @ApiPropertyOptional({ description: 'the assignment version appealed (default: the current one)', example: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
  @ApiProperty({ example: 'idp-living-allowance' }) @IsString() @IsNotEmpty() @MaxLength(64) programmeCode!: string;
  @ApiProperty({
    description: 'the grounds of the complaint (why the decision is wrong)',
    example: 'інвалідність II групи не припинялася, довідка МСЕК додається',
  })
  @IsString()
  @MinLength(5)
  @MaxLength(4000)
  grounds!: string;
  @ApiProperty({ enum: AppealChannels, description: 'diia for a citizen; cnap or office when staff record an appeal received there' })
  @IsIn(AppealChannels as unknown as string[])
  channel!: (typeof AppealChannels)[number];
  @ApiPropertyOptional({
    type: [String],
    description: 'the reason codes of the decision the appellant contests',
    example: ['FINDING_DEPOSITS_OVER_THRESHOLD'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  contestedReasons?: string[];
  @ApiPropertyOptional({
    type: RepresentativeDto,
    description: "staff filing for the person's representative record who and on what authority",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RepresentativeDto)
  representative?: RepresentativeDto;
}

export class CorrectedStatusDto {
  @ApiProperty({ example: 'disability' }) @IsString() @IsNotEmpty() @MaxLength(64) type!: string;
  @ApiProperty({ example: '2024-01-01' }) @IsISO8601(DATE) validFrom!: string;
  @ApiProperty({ nullable: true, example: null }) @ValidateIf((o: CorrectedStatusDto) => o.validTo !== null) @IsISO8601(DATE) validTo!:
    string | null;
  @ApiPropertyOptional({ example: { group: 'II' } }) @IsOptional() @IsObject() details?: Record<string, unknown>;
}

export class MemberCorrectionDto {
  @ApiProperty() @IsUUID() personId!: string;
  @ApiPropertyOptional({
    nullable: true,
    description: 'null: the person is alive (a wrong death record); a date: the corrected date of death',
  })
  @IsOptional()
  @ValidateIf((o: MemberCorrectionDto) => o.deathDate !== null)
  @IsISO8601(DATE)
  deathDate?: string | null;
  @ApiPropertyOptional({ type: [CorrectedStatusDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CorrectedStatusDto)
  statuses?: CorrectedStatusDto[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) removeStatuses?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() stillborn?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() fullStateSupport?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() parentalRightsDeprived?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() mobilised?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() studying?: boolean;
}

export class ReviewAppealDto {
  @ApiProperty({ enum: AppealOutcomes }) @IsIn(AppealOutcomes as unknown as string[]) outcome!: (typeof AppealOutcomes)[number];
  @ApiProperty({
    description: "the reviewer's reasoning (it goes to the notice)",
    example: 'довідка МСЕК підтверджує безстрокову інвалідність',
  })
  @IsString()
  @MinLength(5)
  @MaxLength(4000)
  reasoning!: string;
  @ApiPropertyOptional({
    type: [String],
    description: "upheld refusal: reason codes of the refusal (a finding, an officer's reason) the re-decision ignores",
    example: ['FINDING_DEPOSITS_OVER_THRESHOLD'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  disregardReasons?: string[];
  @ApiPropertyOptional({
    type: [MemberCorrectionDto],
    description: 'the facts the appeal showed to be wrong: the rules are run again on the corrected facts',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => MemberCorrectionDto)
  corrections?: MemberCorrectionDto[];
}

export class AppealListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'upheld', 'dismissed'] }) @IsOptional() @IsIn(['open', 'upheld', 'dismissed']) status?:
    'open' | 'upheld' | 'dismissed';
  @ApiPropertyOptional() @IsOptional() @IsUUID() applicationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() assignmentId?: string;
  @ApiPropertyOptional({ description: 'staff: appeals of a person' }) @IsOptional() @IsUUID() personId?: string;
}

export class OverdueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the day to judge on (default today in Kyiv): open appeals due before it', example: '2026-05-01' })
  @IsOptional()
  @IsISO8601(DATE)
  asOf?: string;
}

export class AppealDto {
  @ApiProperty() id!: string;
  @ApiProperty() clientRequestId!: string;
  @ApiProperty({ enum: ['refusal', 'amount', 'stop', 'recalculation'] }) kind!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ nullable: true }) applicationId!: string | null;
  @ApiProperty({ nullable: true }) assignmentId!: string | null;
  @ApiProperty({ nullable: true }) assignmentVersion!: number | null;
  @ApiProperty({ description: 'the person the decision is about (applicant or recipient)' }) personId!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty({ enum: AppealChannels }) channel!: string;
  @ApiProperty() filedBy!: string;
  @ApiProperty({ enum: ['person', 'representative', 'staff'] }) filedAs!: string;
  @ApiProperty({ type: RepresentativeDto, nullable: true }) representative!: RepresentativeDto | null;
  @ApiProperty() grounds!: string;
  @ApiProperty({ type: [String] }) contestedReasons!: string[];
  @ApiProperty({ nullable: true, description: 'who took the appealed decision (system for the rules alone); may not review' }) decidedBy!:
    string | null;
  @ApiProperty({ nullable: true, description: 'who approved it (second person); may not review' }) approvedBy!: string | null;
  @ApiProperty({ nullable: true }) decidedOn!: string | null;
  @ApiProperty({ description: 'filed within 30 days of the decision (Закон «Про адміністративну процедуру», ст. 77)' })
  filedWithinTerm!: boolean;
  @ApiProperty({ enum: ['open', 'upheld', 'dismissed'] }) status!: string;
  @ApiProperty() filedOn!: string;
  @ApiProperty({
    description: '30 calendar days after filing, moved to the next working day (Закон «Про адміністративну процедуру», ст. 84)',
  })
  dueOn!: string;
  @ApiProperty() deadlineRule!: string;
  @ApiProperty({ description: 'open and past its due date' }) overdue!: boolean;
  @ApiProperty({ nullable: true }) reviewedBy!: string | null;
  @ApiProperty({ nullable: true }) reviewedOn!: string | null;
  @ApiProperty({ nullable: true }) reasoning!: string | null;
  @ApiProperty({ nullable: true, description: 'upheld: what the re-decision did (assignment granted, new version with differences)' })
  result!: Record<string, unknown> | null;
}

export class AppealPageDto {
  @ApiProperty({ type: [AppealDto] }) items!: AppealDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
