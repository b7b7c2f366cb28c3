import { CaseChannels } from '@eisss/contracts';
import { IsKatottg, PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CaseStatuses } from '../case.state-machine';

const DATE = { strict: true, strictSeparator: true } as const;
const SERVICE_CODE = /^[0-9]{3}\.[0-9]$/;
export const CaseOutcomes = [
  'goals_achieved',
  'moved_away',
  'refused_by_recipient',
  'died',
  'transferred',
  'no_need',
  'opened_in_error',
  'other',
] as const;
export const CandidateKinds = ['guardian', 'foster_family', 'family_type_home', 'adoptive_parent'] as const;
export const TeamRoles = [
  'case_manager',
  'social_worker',
  'psychologist',
  'medic',
  'teacher',
  'police',
  'lawyer',
  'service_for_children',
  'other',
] as const;

export class OpenCaseDto {
  @ApiProperty({ format: 'uuid', description: 'person id in the social register' }) @IsUUID() personId!: string;
  @ApiProperty({ description: 'КАТОТТГ of the registrar body (community) that handles the case', example: 'UA80000000000093317' })
  @IsKatottg()
  katottg!: string;
  @ApiPropertyOptional({ enum: ['adult', 'child_deprived_of_parental_care'], default: 'adult' })
  @IsOptional()
  @IsIn(['adult', 'child_deprived_of_parental_care'])
  category?: 'adult' | 'child_deprived_of_parental_care';
  @ApiProperty({
    enum: CaseChannels,
    description: 'who brought the case: the person, a representative, a worker, school, police, medic, the portal',
  })
  @IsIn(CaseChannels)
  channel!: (typeof CaseChannels)[number];
  @ApiPropertyOptional({ description: 'who reported (organisation, role); no personal identifiers' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  reporter?: string;
  @ApiPropertyOptional({ description: 'crisis: assessment and decision within 1 working day' }) @IsOptional() @IsBoolean() crisis?: boolean;
  @ApiProperty({ description: 'date the request/report was received, YYYY-MM-DD (Europe/Kyiv)', example: '2026-11-23' })
  @IsISO8601(DATE)
  requestDate!: string;
  @ApiPropertyOptional({ type: [String], description: 'requested services, codes of the Classifier', example: ['015.1'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @Matches(SERVICE_CODE, { each: true })
  requestedServices?: string[];
  @ApiPropertyOptional({ description: 'case worker assigned at intake' }) @IsOptional() @IsString() @MaxLength(100) workerId?: string;
  @ApiPropertyOptional({ description: 'client request id: a retry with the same id returns the same case' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientRequestId?: string;
}

export class ListCasesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CaseStatuses }) @IsOptional() @IsIn(CaseStatuses) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() workerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() personId?: string;
  @ApiPropertyOptional({ description: 'КАТОТТГ prefix (office)' }) @IsOptional() @Matches(/^UA[0-9]{0,17}$/) katottg?: string;
  @ApiPropertyOptional({ enum: ['adult', 'child_deprived_of_parental_care'] })
  @IsOptional()
  @IsIn(['adult', 'child_deprived_of_parental_care'])
  category?: string;
}

export class AssessDto {
  @ApiProperty({ example: '2026-11-25' }) @IsISO8601(DATE) assessedOn!: string;
  @ApiProperty({ description: 'findings of the needs assessment form (акт оцінки потреб)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  findings!: string;
  @ApiProperty({ type: [String], description: 'needs identified, as service codes of the Classifier', example: ['015.1'] })
  @IsArray()
  @Matches(SERVICE_CODE, { each: true })
  needsIdentified!: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() crisis?: boolean;
  @ApiPropertyOptional({ description: 'required when correcting a signed act (creates a new version)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  correctionReason?: string;
}

export class DecideDto {
  @ApiProperty({ enum: ['grant', 'refuse'] }) @IsIn(['grant', 'refuse']) decision!: 'grant' | 'refuse';
  @ApiProperty({ example: '2026-11-27' }) @IsISO8601(DATE) decidedOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) reasons!: string;
  @ApiPropertyOptional({ description: 'the decision was taken by an automated rule (may be appealed to a person)' })
  @IsOptional()
  @IsBoolean()
  automated?: boolean;
}

export class PlanServiceDto {
  @ApiProperty({ example: '015.1', description: 'code of the Classifier of social services' }) @Matches(SERVICE_CODE) code!: string;
  @ApiProperty({ example: 'provider-tcsp-1' }) @IsString() @IsNotEmpty() @MaxLength(100) providerId!: string;
  @ApiProperty({ example: '3 visits a week' }) @IsString() @IsNotEmpty() @MaxLength(200) frequency!: string;
  @ApiProperty({ example: '2026-12-01' }) @IsISO8601(DATE) periodFrom!: string;
  @ApiProperty({ example: '2027-05-31' }) @IsISO8601(DATE) periodTo!: string;
}

export class ApprovePlanDto {
  @ApiProperty({ example: '2026-12-01' }) @IsISO8601(DATE) approvedOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) goals!: string;
  @ApiProperty({ type: [PlanServiceDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PlanServiceDto)
  services!: PlanServiceDto[];
  @ApiPropertyOptional({ description: 'required when correcting an approved plan' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  correctionReason?: string;
}

export class ContractDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) providerId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) providerName!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) contractNumber!: string;
  @ApiProperty({ example: '2026-12-01' }) @IsISO8601(DATE) signedOn!: string;
  @ApiPropertyOptional({ example: '2027-05-31' }) @IsOptional() @IsISO8601(DATE) validTo?: string;
}

export class ProvisionDto {
  @ApiProperty({ description: 'id made by the client (offline app): a retry with the same id records nothing new' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  clientId!: string;
  @ApiProperty({ example: '015.1' }) @Matches(SERVICE_CODE) serviceCode!: string;
  @ApiProperty({ description: 'the real date of the visit (may be days before it is recorded)', example: '2026-12-02' })
  @IsISO8601(DATE)
  providedOn!: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1440) durationMinutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) notes?: string;
}

export class MonitoringDto {
  @ApiProperty({ enum: ['monitoring', 'review'] }) @IsIn(['monitoring', 'review']) kind!: 'monitoring' | 'review';
  @ApiProperty() @IsISO8601(DATE) heldOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(10000) findings!: string;
  @ApiPropertyOptional({ description: 'next review date; for a review defaults to the rule set period' })
  @IsOptional()
  @IsISO8601(DATE)
  nextReviewDue?: string;
}

export class CloseDto {
  @ApiProperty() @IsISO8601(DATE) closedOn!: string;
  @ApiProperty({ enum: CaseOutcomes }) @IsIn(CaseOutcomes) outcome!: (typeof CaseOutcomes)[number];
  @ApiProperty({ description: 'final evaluation of the case' }) @IsString() @IsNotEmpty() @MaxLength(10000) finalEvaluation!: string;
}

export class AssignDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) workerId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class RerouteDto {
  @ApiProperty({ description: 'КАТОТТГ of the body the case goes to' }) @IsKatottg() katottg!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class NoteDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(10000) text!: string;
  @ApiPropertyOptional({ description: 'real date of the note (recorded later after work offline)' })
  @IsOptional()
  @IsISO8601(DATE)
  notedOn?: string;
}

export class AttachmentDto {
  @ApiProperty({ description: 'where the document is stored (object storage reference)', example: 's3://cases/2026/act-1.pdf' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  uri!: string;
  @ApiProperty({ description: 'SHA-256 of the content, hex' }) @Matches(/^[0-9a-fA-F]{64}$/) sha256!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) fileName!: string;
  @ApiProperty({ example: 'application/pdf' }) @Matches(/^[a-z]+\/[a-z0-9.+-]+$/i) mediaType!: string;
}

export class TeamMemberDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) memberId!: string;
  @ApiProperty({ enum: TeamRoles }) @IsIn(TeamRoles) role!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) organisation?: string;
}

export class AppealDto {
  @ApiProperty({ enum: ['decision', 'automated_intake', 'assessment', 'plan', 'closure'], description: 'what is appealed' })
  @IsIn(['decision', 'automated_intake', 'assessment', 'plan', 'closure'])
  subject!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) reason!: string;
}

export class ReviewAppealDto {
  @ApiProperty({ enum: ['upheld', 'dismissed'] }) @IsIn(['upheld', 'dismissed']) outcome!: 'upheld' | 'dismissed';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(5000) resolution!: string;
}

export class CandidateDto {
  @ApiProperty({ enum: CandidateKinds }) @IsIn(CandidateKinds) kind!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(300) candidateName!: string;
  @ApiPropertyOptional({ description: 'register reference of the candidate' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  candidateRef?: string;
}

export class PlacementDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() candidateId!: string;
  @ApiProperty() @IsISO8601(DATE) placedOn!: string;
  @ApiProperty({ description: 'decision of the guardianship body / court' }) @IsString() @IsNotEmpty() @MaxLength(300) decisionRef!: string;
}

export class EndPlacementDto {
  @ApiProperty() @IsISO8601(DATE) endedOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class OverdueQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'date to check against, default today (Kyiv)' }) @IsOptional() @IsISO8601(DATE) asOf?: string;
  @ApiPropertyOptional({ description: 'office: КАТОТТГ prefix' }) @IsOptional() @Matches(/^UA[0-9]{0,17}$/) katottg?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() workerId?: string;
  @ApiPropertyOptional({ enum: ['assessment', 'decision', 'review'] })
  @IsOptional()
  @IsIn(['assessment', 'decision', 'review'])
  stage?: string;
}

export class ScanDto {
  @ApiPropertyOptional({ description: 'date to check against, default today (Kyiv)' }) @IsOptional() @IsISO8601(DATE) asOf?: string;
}

export class WorkloadQuery {
  @ApiPropertyOptional() @IsOptional() @IsISO8601(DATE) asOf?: string;
}

export class CaseDto {
  @ApiProperty() id!: string;
  @ApiProperty() personId!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty() category!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() crisis!: boolean;
  @ApiProperty() requestDate!: string;
  @ApiProperty({ enum: CaseStatuses }) status!: string;
  @ApiProperty() ruleSetVersion!: string;
  @ApiProperty() assessmentDue!: string;
  @ApiProperty() decisionDue!: string;
  @ApiPropertyOptional({ nullable: true }) reviewDue!: string | null;
  @ApiPropertyOptional({ nullable: true }) workerId!: string | null;
  @ApiProperty() version!: number;
}

export class CasePageDto {
  @ApiProperty({ type: [CaseDto] }) items!: CaseDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class FormQuery {
  @ApiPropertyOptional({ description: 'act version (default: the latest)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}
