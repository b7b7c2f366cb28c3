import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@eisss/platform';

export class RunPayrollDto {
  @ApiProperty({
    example: 'idp-living-allowance',
    description: 'a programme the treasury holds assignments of (lowercase letters, digits, hyphens)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'programmeCode must be a programme code such as idp-living-allowance' })
  programmeCode!: string;
  @ApiProperty({ example: '2026-12', description: 'month YYYY-MM' }) @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])$/) month!: string;
  @ApiPropertyOptional({ description: 'client request id: a retry with the same id returns the same payroll' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientRequestId?: string;
}

export class PayrollQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() programmeCode?: string;
  @ApiPropertyOptional({ example: '2026-12' }) @IsOptional() @Matches(/^[0-9]{4}-(0[1-9]|1[0-2])$/) month?: string;
  @ApiPropertyOptional({ enum: ['submitted', 'approved', 'held', 'exported'] })
  @IsOptional()
  @IsIn(['submitted', 'approved', 'held', 'exported'])
  status?: string;
}

export class PayrollDto {
  @ApiProperty() id!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ enum: ['submitted', 'approved', 'held', 'exported'] }) status!: string;
  @ApiProperty() submissionId!: string;
  @ApiPropertyOptional({ nullable: true }) reservationId!: string | null;
  @ApiProperty({ description: 'control total: number of lines' }) lineCount!: number;
  @ApiProperty({ description: 'control total: Σ monthly amounts, kopiyky' }) accruedKopiyky!: string;
  @ApiProperty({ description: 'control total: Σ arrears, kopiyky' }) arrearsKopiyky!: string;
  @ApiProperty({ description: 'control total: Σ overpayment deductions, kopiyky' }) deductionsKopiyky!: string;
  @ApiProperty({ description: 'control total: Σ net = accrued + arrears − deductions, kopiyky' }) totalKopiyky!: string;
  @ApiPropertyOptional({ nullable: true, description: 'why e-budget rejected the funds check (held payroll)' }) holdReasonCode!:
    string | null;
  @ApiPropertyOptional({ nullable: true }) holdReason!: string | null;
  @ApiPropertyOptional({ nullable: true }) clientRequestId!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    description:
      'lines accrued while their assignment had no approved account: paid (by the next export of this payroll) once the account arrives',
  })
  awaitingAccountCount!: number;
}

export class PayrollPageDto {
  @ApiProperty({ type: [PayrollDto] }) items!: PayrollDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}

export class PayrollLineDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty() assignmentVersion!: number;
  @ApiProperty() recipientPersonId!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty() month!: string;
  @ApiProperty() accruedKopiyky!: string;
  @ApiProperty() arrearsKopiyky!: string;
  @ApiProperty() deductionKopiyky!: string;
  @ApiProperty() netKopiyky!: string;
  @ApiProperty({ description: 'rule, parameters and period behind the amounts' }) explanation!: string;
}

export class PayrollLinePageDto {
  @ApiProperty({ type: [PayrollLineDto] }) items!: PayrollLineDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}

export class BatchDto {
  @ApiProperty() id!: string;
  @ApiProperty() payrollId!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ enum: ['bank', 'post'] }) channel!: string;
  @ApiPropertyOptional({ nullable: true, description: 'МФО of the bank (IBAN characters 5–10)' }) mfo!: string | null;
  @ApiProperty({ description: 'pain.001 GrpHdr/MsgId' }) messageId!: string;
  @ApiProperty() paymentCount!: number;
  @ApiProperty() totalKopiyky!: string;
}
