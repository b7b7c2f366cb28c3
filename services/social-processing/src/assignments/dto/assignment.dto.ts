import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

export class AssignmentActionDto {
  @ApiProperty({ description: 'month YYYY-MM from which the action applies', example: '2026-05' }) @Matches(MONTH) month!: string;
  @ApiProperty({ description: 'stable reason code', example: 'ABROAD_OVER_30_DAYS' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  reasonCode!: string;
  @ApiProperty({ description: 'reason text for the recipient and the audit', example: 'перебування за кордоном понад 30 днів' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reasonText!: string;
}

export class RecalculateDto {
  @ApiProperty({ example: 'PARAMETER_CHANGE' }) @IsString() @IsNotEmpty() @MaxLength(64) reasonCode!: string;
  @ApiProperty({ example: 'new subsistence minimum from 2026-01-01' }) @IsString() @IsNotEmpty() @MaxLength(500) reasonText!: string;
}

export class ChangeRecipientDto {
  @ApiProperty({
    description: 'the person (known to processing, alive) who is paid from now on: the other parent, an adopter or a guardian',
    format: 'uuid',
  })
  @IsUUID()
  newRecipientPersonId!: string;
  @ApiProperty({
    description: 'why the recipient changes, for the recipient and the audit',
    example: 'the mother died; the father lives with the child',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
  @ApiProperty({
    description: 'the document the change rests on (e.g. a guardianship decision, a death certificate)',
    example: 'doc:guardianship-2026-123',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  evidenceRef!: string;
}

export class AssignmentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() personId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() programmeCode?: string;
  @ApiPropertyOptional({ enum: ['active', 'suspended', 'terminated'] })
  @IsOptional()
  @IsIn(['active', 'suspended', 'terminated'])
  status?: string;
}

export class AssignmentMonthDto {
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ description: 'kopiyky, decimal string', example: '200000' }) amountKopiyky!: string;
  @ApiProperty() explanation!: string;
}

export class MonthDifferenceDto {
  @ApiProperty() month!: string;
  @ApiProperty() previousKopiyky!: string;
  @ApiProperty() newKopiyky!: string;
  @ApiProperty({ description: 'positive = arrears, negative = overpayment' }) differenceKopiyky!: string;
}

export class AssignmentVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ example: 'social-processing.assignment.changed' }) eventType!: string;
  @ApiPropertyOptional({ nullable: true }) reason!: { code: string; text: string } | null;
  @ApiProperty() effectiveFrom!: string;
  @ApiProperty({ type: [MonthDifferenceDto] }) differences!: MonthDifferenceDto[];
  @ApiProperty({ description: 'who acted: a person (the one who asked, under the two-person rule), system, or event:<type>' })
  createdBy!: string;
  @ApiPropertyOptional({ nullable: true, description: 'the second person who approved the act' }) approvedBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class MaskedPaymentDto {
  @ApiProperty({ enum: ['bank', 'post'] }) method!: 'bank' | 'post';
  @ApiPropertyOptional({ example: 'UA21*********************6001' }) ibanMasked?: string;
  @ApiPropertyOptional({ example: '01001' }) postcode?: string;
}

export class MaskedPayeeDto {
  @ApiProperty({ example: 'Шевченко Олена Іванівна' }) fullName!: string;
  @ApiPropertyOptional({ nullable: true, example: '******9324' }) rnokppMasked!: string | null;
  @ApiPropertyOptional({ nullable: true, example: '…456' }) documentNumberMasked!: string | null;
}

export class AssignmentOriginDto {
  @ApiProperty({ enum: ['migration'] }) kind!: 'migration';
  @ApiProperty({ enum: ['asopd', 'komtekh', 'edarp', 'subsidies'] }) sourceSystem!: string;
  @ApiProperty({ example: 'ASOPD-0001-123456', description: 'the legacy case number (номер особової справи)' }) legacyCaseNumber!: string;
  @ApiProperty({ description: "the register's import job" }) importJobId!: string;
}

export class AssignmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() version!: number;
  @ApiPropertyOptional({ nullable: true }) applicationId!: string | null;
  @ApiProperty({ example: 'idp-living-allowance' }) programmeCode!: string;
  @ApiProperty({ example: 'idp-living-allowance@2025-08-26' }) ruleSetVersion!: string;
  @ApiProperty() recipientPersonId!: string;
  @ApiProperty({ type: [String] }) memberPersonIds!: string[];
  @ApiProperty() katottg!: string;
  @ApiProperty({ example: '2026-03' }) periodFrom!: string;
  @ApiProperty({ example: '2026-08' }) periodTo!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'terminated'] }) status!: string;
  @ApiProperty({ type: [AssignmentMonthDto] }) months!: AssignmentMonthDto[];
  @ApiPropertyOptional({
    type: MaskedPaymentDto,
    nullable: true,
    description:
      "the register's approved account of the recipient (IBAN masked); null while the register holds none: nothing is paid until one is approved",
  })
  payment!: MaskedPaymentDto | null;
  @ApiPropertyOptional({
    type: MaskedPayeeDto,
    nullable: true,
    description: 'the account holder as the register knows them (masked); null with payment',
  })
  payee!: MaskedPayeeDto | null;
  @ApiProperty({ description: 'explanation tree: each rule, the facts and parameter values it used, its outcome' }) explanation!: unknown;
  @ApiPropertyOptional({
    type: AssignmentOriginDto,
    description: 'only on an assignment taken over from a system in use (bulk migration): its source system and legacy case',
  })
  origin?: AssignmentOriginDto;
  @ApiPropertyOptional({ type: [AssignmentVersionDto] }) versions?: AssignmentVersionDto[];
}

export class AssignmentPageDto {
  @ApiProperty({ type: [AssignmentDto] }) items!: AssignmentDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
