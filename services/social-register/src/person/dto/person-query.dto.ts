import { StatusTypes } from '@eisss/contracts';
import { IsKatottg, IsRnokpp, IsUaIban, IsUnzr, PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { POSTCODE, PersonDto, Trim } from './register-person.dto';

const DATE = { strict: true, strictSeparator: true } as const;

export class PersonSearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'РНОКПП, exact match (through its keyed hash; the value is not stored in clear)' })
  @IsOptional()
  @IsRnokpp()
  rnokpp?: string;
  @ApiPropertyOptional({ description: 'УНЗР, exact match (as rnokpp)' }) @IsOptional() @IsUnzr() unzr?: string;
  @ApiPropertyOptional({ description: 'last name (normalised match)' }) @IsOptional() @IsString() @MaxLength(100) lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601(DATE) birthDate?: string;
  @ApiPropertyOptional({ description: 'КАТОТТГ prefix (registered or actual address)' })
  @IsOptional()
  @Matches(/^UA[0-9]{0,17}$/)
  katottg?: string;
  @ApiPropertyOptional({ enum: StatusTypes, description: 'has a status of this type valid today' })
  @IsOptional()
  @IsIn(StatusTypes as unknown as string[])
  statusType?: string;
  @ApiPropertyOptional({ description: 'include records merged into others' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  includeMerged?: boolean;
}

export class PersonPageDto {
  @ApiProperty({ type: [PersonDto] }) items!: PersonDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class PersonChangesDto {
  @ApiPropertyOptional({ description: 'trimmed; not blank' })
  @Trim()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName?: string;
  @ApiPropertyOptional({ description: 'trimmed; not blank' })
  @Trim()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  firstName?: string;
  @ApiPropertyOptional({ nullable: true, description: 'trimmed; not blank; null removes it' })
  @Trim()
  @ValidateIf((o) => o.patronymic !== null && o.patronymic !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  patronymic?: string | null;
  @ApiPropertyOptional({ enum: ['male', 'female'] }) @IsOptional() @IsIn(['male', 'female']) sex?: string;
  @ApiPropertyOptional({ description: 'records a death (emits person.died)' }) @IsOptional() @IsISO8601(DATE) deathDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsKatottg() katottg?: string;
  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((o) => o.registeredAddress !== null && o.registeredAddress !== undefined)
  @IsString()
  @MaxLength(500)
  registeredAddress?: string | null;
  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((o) => o.actualAddress !== null && o.actualAddress !== undefined)
  @IsString()
  @MaxLength(500)
  actualAddress?: string | null;
  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((o) => o.actualKatottg !== null && o.actualKatottg !== undefined)
  @IsKatottg()
  actualKatottg?: string | null;
  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((o) => o.phone !== null && o.phone !== undefined)
  @Matches(/^\+?[0-9]{9,15}$/)
  phone?: string | null;
  @ApiPropertyOptional({ nullable: true }) @ValidateIf((o) => o.email !== null && o.email !== undefined) @IsEmail() email?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    description:
      'bank account, UA IBAN (mod-97 checked); null removes it. Published as the approved account (PersonPaymentAccountChangedV2) on approval',
  })
  @ValidateIf((o) => o.iban !== null && o.iban !== undefined)
  @IsUaIban()
  iban?: string | null;
  @ApiPropertyOptional({
    nullable: true,
    description: 'postcode for post delivery (the account when no IBAN is held); null removes it',
    example: '01001',
  })
  @ValidateIf((o) => o.paymentPostcode !== null && o.paymentPostcode !== undefined)
  @Matches(POSTCODE, { message: 'paymentPostcode: must be 5 digits' })
  paymentPostcode?: string | null;
}

export class CreateChangeRequestDto {
  @ApiProperty({ type: PersonChangesDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PersonChangesDto)
  changes!: PersonChangesDto;
  @ApiProperty({ description: 'why the change is made' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @ApiProperty({ description: 'document or register the change comes from' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source!: string;
  @ApiPropertyOptional({ description: 'client request id: a retry with the same id returns the same change request' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientRequestId?: string;
}

export class DecisionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class ChangeRequestDto {
  @ApiProperty() id!: string;
  @ApiProperty() personId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes!: Record<string, unknown>;
  @ApiProperty() reason!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ enum: ['pending', 'approved', 'rejected'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) katottg!: string | null;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiPropertyOptional({ nullable: true }) decidedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) decisionNote!: string | null;
}

export class ChangeRequestQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'rejected'] })
  @IsOptional()
  @IsIn(['pending', 'approved', 'rejected'])
  status?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() personId?: string;
}

export class ChangeRequestPageDto {
  @ApiProperty({ type: [ChangeRequestDto] }) items!: ChangeRequestDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class DuplicateReviewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'the newly registered person' }) personId!: string;
  @ApiProperty({ type: [String], description: 'earlier persons with the same normalised name and birth date' }) candidateIds!: string[];
  @ApiProperty() matchKind!: string;
  @ApiProperty({ enum: ['open', 'merged', 'distinct'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) katottg!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) resolvedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) resolvedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) mergeId!: string | null;
}

export class DuplicateReviewQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'merged', 'distinct'] }) @IsOptional() @IsIn(['open', 'merged', 'distinct']) status?: string;
}

export class DuplicateReviewPageDto {
  @ApiProperty({ type: [DuplicateReviewDto] }) items!: DuplicateReviewDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class ResolveDuplicateDto {
  @ApiProperty({ enum: ['merge', 'distinct'] }) @IsIn(['merge', 'distinct']) decision!: 'merge' | 'distinct';
  @ApiPropertyOptional({ description: 'for merge: the record that survives (default: the earlier one)' })
  @IsOptional()
  @IsUUID()
  survivorPersonId?: string;
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class ResolveDuplicateResultDto {
  @ApiProperty() reviewId!: string;
  @ApiProperty({ enum: ['merged', 'distinct'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) mergeId!: string | null;
}

export class MergePersonDto {
  @ApiProperty({ description: 'the surviving record' }) @IsUUID() survivorPersonId!: string;
  @ApiProperty() @Trim() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class HistoryEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() personId!: string;
  @ApiProperty({ description: 'registered | updated | merged-into | merged-from' }) action!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true }) reason!: string | null;
  @ApiPropertyOptional({ nullable: true }) source!: string | null;
  @ApiProperty({ description: 'who' }) actorId!: string;
  @ApiProperty({ description: 'when' }) occurredAt!: string;
}

export class MergeEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() mergedPersonId!: string;
  @ApiProperty() survivorPersonId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'the supervisor who approved and carried out the merge' }) actorId!: string;
  @ApiPropertyOptional({ nullable: true, description: 'the supervisor who asked for it' }) requestedBy!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'the two-person request (GET /approvals/:id)' }) approvalId!: string | null;
  @ApiProperty() mergedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) moved!: unknown;
}

export class PersonHistoryDto {
  @ApiProperty({ type: [HistoryEntryDto], description: 'journal of this record and of every record merged into it' })
  history!: HistoryEntryDto[];
  @ApiProperty({ type: [MergeEntryDto] }) merges!: MergeEntryDto[];
  @ApiProperty({ type: [DuplicateReviewDto] }) duplicateReviews!: DuplicateReviewDto[];
}

export class AccessLogEntryDto {
  @ApiProperty() actorId!: string;
  @ApiProperty({ type: [String] }) actorRoles!: string[];
  @ApiProperty() action!: string;
  @ApiPropertyOptional({ nullable: true }) purpose!: string | null;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({
    description:
      'the service whose staff or process read the data (social-register, social-processing, verification, payments-treasury, case-management)',
  })
  service!: string;
}

export class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto] }) items!: AccessLogEntryDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
