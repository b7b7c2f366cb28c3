import { StatusTypes } from '@eisss/contracts';
import { IsKatottg, IsRnokpp, IsUaIban, PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const Channels = ['diia', 'cnap', 'office'] as const;
export const Relations = ['self', 'spouse', 'child', 'parent', 'guardian', 'other'] as const;
export const ConsentTypes = ['personal-data-processing', 'registers-check'] as const;
const DATE = { strict: true, strictSeparator: true } as const;

export class StatusFactDto {
  @ApiProperty({ enum: StatusTypes }) @IsIn(StatusTypes as unknown as string[]) type!: string;
  @ApiProperty({ example: '2024-03-01' }) @IsISO8601(DATE) validFrom!: string;
  @ApiPropertyOptional({ nullable: true, example: null }) @IsOptional() @IsISO8601(DATE) validTo?: string | null;
  @ApiPropertyOptional({
    description: 'idp → certificateNumber, originKatottg, originEligible, housingDestroyed; disability → group',
    example: { certificateNumber: '0000-1234567890' },
  })
  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

export class HouseholdMemberDto {
  @ApiProperty() @IsUUID() personId!: string;
  @ApiProperty({ enum: ['applicant', 'member'] }) @IsIn(['applicant', 'member']) role!: 'applicant' | 'member';
  @ApiPropertyOptional({
    description: "birth date as declared; checked against the register (the snapshot keeps the register's)",
    example: '2015-06-01',
  })
  @IsOptional()
  @IsISO8601(DATE)
  birthDate?: string;
  @ApiProperty({ enum: Relations, description: 'relation to the applicant (self for the applicant)' })
  @IsIn(Relations as unknown as string[])
  relation!: (typeof Relations)[number];
  @ApiPropertyOptional({
    type: [StatusFactDto],
    description: 'statuses declared in the application (the register projection adds its own)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => StatusFactDto)
  statuses?: StatusFactDto[];
  @ApiPropertyOptional({ description: 'mobilised or taking part in defence' }) @IsOptional() @IsBoolean() mobilised?: boolean;
  @ApiPropertyOptional({ description: 'on full state support / in full state care' }) @IsOptional() @IsBoolean() fullStateSupport?: boolean;
  @ApiPropertyOptional({ description: 'birth assistance: the child was stillborn' }) @IsOptional() @IsBoolean() stillborn?: boolean;
  @ApiPropertyOptional({ description: 'birth assistance: deprived of parental rights' })
  @IsOptional()
  @IsBoolean()
  parentalRightsDeprived?: boolean;
  @ApiPropertyOptional({ description: 'studying full-time (children 18–23)' }) @IsOptional() @IsBoolean() studying?: boolean;
}

export class HouseholdDto {
  @ApiProperty({ type: [HouseholdMemberDto], description: 'all members including the applicant (role applicant)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberDto)
  members!: HouseholdMemberDto[];
}

export class ConsentDto {
  @ApiProperty({ enum: ConsentTypes }) @IsIn(ConsentTypes as unknown as string[]) type!: string;
  @ApiProperty({ example: '2026-03-10' }) @IsISO8601(DATE) givenOn!: string;
}

/**
 * An account the applicant proposes. Only a proposal: processing seals the IBAN for the register at
 * once (it keeps only the masked and sealed form) and sends it; where the register does not hold it as
 * the applicant's approved account, it opens a change request that a second person decides; the
 * assignment is paid only to the register's approved account.
 */
export class PaymentDto {
  @ApiProperty({ enum: ['bank', 'post'] }) @IsIn(['bank', 'post']) method!: 'bank' | 'post';
  @ApiPropertyOptional({ description: 'required for bank', example: 'UA213223130000026007233566001' })
  @ValidateIf((o: PaymentDto) => o.method === 'bank')
  @IsUaIban()
  iban?: string;
  @ApiPropertyOptional({ description: 'required for post', example: '01001' })
  @ValidateIf((o: PaymentDto) => o.method === 'post')
  @Matches(/^[0-9]{5}$/)
  postcode?: string;
}

export class SubmitApplicationDto {
  @ApiProperty({ description: 'client request id: a retry with the same id returns the same application', example: 'diia-7f3a9c20-0001' })
  @IsString()
  @MinLength(8)
  @MaxLength(100)
  clientRequestId!: string;
  @ApiProperty({ enum: Channels }) @IsIn(Channels as unknown as string[]) channel!: (typeof Channels)[number];
  @ApiProperty() @IsUUID() applicantPersonId!: string;
  @ApiPropertyOptional({
    description: 'РНОКПП of the applicant, checked against the register (never stored or logged)',
    example: '1759013776',
  })
  @IsOptional()
  @IsRnokpp()
  applicantRnokpp?: string;
  @ApiProperty({ description: 'КАТОТТГ of the office (community) that decides', example: 'UA80000000000093317' })
  @IsKatottg()
  katottg!: string;
  @ApiPropertyOptional({
    description: 'date the application was received (a paper application recorded later); default today in Kyiv',
    example: '2026-03-10',
  })
  @IsOptional()
  @IsISO8601(DATE)
  receivedOn?: string;
  @ApiProperty({ type: [String], example: ['idp-living-allowance'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  programmeCodes!: string[];
  @ApiProperty({ type: HouseholdDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => HouseholdDto) household!: HouseholdDto;
  @ApiProperty({ type: [ConsentDto] })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ConsentDto)
  consents!: ConsentDto[];
  @ApiPropertyOptional({
    type: PaymentDto,
    description:
      "optional: a proposed account, sent to the register sealed for it (ApplicationPaymentAccountProposedV2); when the register does not hold it as the applicant's approved account it opens a change request; the assignment carries only the register's approved account (none until one is approved)",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PaymentDto)
  payment?: PaymentDto;
  @ApiPropertyOptional({ description: 'IDP extension test: average monthly income per person over 3 months, kopiyky', example: '500000' })
  @IsOptional()
  @Matches(/^[0-9]{1,15}$/)
  averageMonthlyIncomePerPersonKopiyky?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'DEPOSIT_OVER_THRESHOLD' }) @IsString() @IsNotEmpty() @MaxLength(64) code!: string;
  @ApiProperty({ example: 'депозит понад 100 000 грн' }) @IsString() @IsNotEmpty() @MaxLength(500) text!: string;
}

export class ProposalDto {
  @ApiProperty({ enum: ['granted', 'refused'] }) @IsIn(['granted', 'refused']) outcome!: 'granted' | 'refused';
  @ApiPropertyOptional({ type: [ReasonDto], description: 'required to refuse' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ReasonDto)
  reasons?: ReasonDto[];
}

export class ApprovalDto {
  @ApiProperty({ description: 'true approves the proposal, false returns it to the officer' }) @IsBoolean() approve!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) comment?: string;
}

export class ApplicationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['awaiting_verification', 'under_review', 'decided'] })
  @IsOptional()
  @IsIn(['awaiting_verification', 'under_review', 'decided'])
  status?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() applicantPersonId?: string;
  @ApiPropertyOptional({ description: 'КАТОТТГ prefix' }) @IsOptional() @Matches(/^UA[0-9]{0,17}$/) katottg?: string;
}

export class DeadlineQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the day to measure from (default today in Kyiv)', example: '2026-03-20' })
  @IsOptional()
  @IsISO8601(DATE)
  asOf?: string;
  @ApiPropertyOptional({ description: 'at risk when due within this many working days', default: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  withinWorkingDays?: number;
  @ApiPropertyOptional({ description: 'КАТОТТГ prefix of the office' }) @IsOptional() @Matches(/^UA[0-9]{0,17}$/) katottg?: string;
}

export class DecisionDto {
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ enum: ['awaiting_verification', 'awaiting_officer', 'awaiting_approval', 'granted', 'refused'] }) status!: string;
  @ApiProperty({ type: [ReasonDto] }) reasons!: ReasonDto[];
  @ApiPropertyOptional({ nullable: true }) ruleSetVersion!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'explanation tree: each rule, facts and parameter values it used, its outcome' })
  explanation!: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'months and amounts the rules computed (kopiyky strings)' }) months!:
    { month: string; amountKopiyky: string; explanation: string }[] | null;
  @ApiPropertyOptional({ nullable: true }) verification!: unknown;
  @ApiPropertyOptional({ nullable: true }) proposal!: unknown;
  @ApiPropertyOptional({
    nullable: true,
    description: 'the officer who proposed the decision, or `system` when the rules decided alone after a passed verification',
  })
  decidedBy!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'the supervisor (another person) who approved the proposal' }) approvedBy!:
    string | null;
  @ApiPropertyOptional({ nullable: true }) decidedOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) assignmentId!: string | null;
}

export class ApplicationDto {
  @ApiProperty() id!: string;
  @ApiProperty() clientRequestId!: string;
  @ApiProperty({ enum: Channels }) channel!: string;
  @ApiProperty() applicantPersonId!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty({ type: [String] }) programmeCodes!: string[];
  @ApiProperty({ enum: ['awaiting_verification', 'under_review', 'decided'] }) status!: string;
  @ApiProperty() submittedOn!: string;
  @ApiProperty({ description: '10 working days after submission (WorkingCalendar)' }) decisionDueOn!: string;
  @ApiPropertyOptional({ nullable: true }) decidedOn!: string | null;
  @ApiProperty({ type: [DecisionDto] }) decisions!: DecisionDto[];
  @ApiProperty({ description: 'status history: registered, awaiting verification, …' }) history!: unknown[];
  @ApiPropertyOptional({
    nullable: true,
    description:
      "the account the application proposed, masked (a proposal to the register; assignments carry the register's approved account)",
    example: { method: 'bank', ibanMasked: 'UA21*********************6001' },
  })
  proposedPayment!: { method: 'bank' | 'post'; ibanMasked?: string; postcode?: string } | null;
}

export class ApplicationPageDto {
  @ApiProperty({ type: [ApplicationDto] }) items!: ApplicationDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class DeadlineItemDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty() status!: string;
  @ApiProperty() submittedOn!: string;
  @ApiProperty() decisionDueOn!: string;
  @ApiProperty({ description: 'working days from asOf to the due date (negative when overdue)' }) workingDaysLeft!: number;
  @ApiProperty({ enum: ['at_risk', 'overdue'] }) state!: 'at_risk' | 'overdue';
}

export class OfficeDeadlineSummaryDto {
  @ApiProperty() katottg!: string;
  @ApiProperty() atRisk!: number;
  @ApiProperty() overdue!: number;
}

export class DeadlinePageDto {
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: [OfficeDeadlineSummaryDto], description: 'counts per office (КАТОТТГ)' }) byOffice!: OfficeDeadlineSummaryDto[];
  @ApiProperty({ type: [DeadlineItemDto] }) items!: DeadlineItemDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class ProgrammeSettingsDto {
  @ApiProperty({
    description:
      "every decision needs an officer's proposal and a supervisor's approval (maker-checker); off: the rules decide alone when verification passes",
  })
  @IsBoolean()
  requiresApproval!: boolean;
  @ApiProperty({
    description: 'why the setting changes (kept on the approval request and in the audit log)',
    example: 'наказ Мінсоцполітики від 01.03.2026 № 100',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class ProgrammeDto {
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['applicationDate', 'birthDate'] }) versionSelectedBy!: string;
  @ApiProperty() requiresApproval!: boolean;
  @ApiProperty({ description: 'rule-set versions with their rules (legal references) and source notes' }) ruleSets!: unknown[];
}

export class NoticeSectionDto {
  @ApiProperty() programmeCode!: string;
  @ApiProperty() title!: string;
  @ApiProperty() outcome!: string;
  @ApiProperty({ type: [String], description: 'decision, term and amounts per month, reasons, explanation tree as lines' })
  lines!: string[];
}

export class NoticeDto {
  @ApiProperty() applicationId!: string;
  @ApiProperty() applicantPersonId!: string;
  @ApiProperty() status!: string;
  @ApiProperty() submittedOn!: string;
  @ApiProperty() decisionDueOn!: string;
  @ApiPropertyOptional({ nullable: true }) decidedOn!: string | null;
  @ApiProperty({ type: [NoticeSectionDto] }) sections!: NoticeSectionDto[];
}

export class ProgrammeRecalculationDto {
  @ApiProperty({ example: 'PARAMETER_CHANGE' }) @IsString() @IsNotEmpty() @MaxLength(64) reasonCode!: string;
  @ApiProperty({ example: 'new amounts from 2026-06-01' }) @IsString() @IsNotEmpty() @MaxLength(500) reasonText!: string;
}

export class ProgrammeRecalculationResultDto {
  @ApiProperty() programmeCode!: string;
  @ApiProperty() checked!: number;
  @ApiProperty() changed!: number;
  @ApiProperty() terminated!: number;
  @ApiProperty() unchanged!: number;
}
