import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@eisss/platform';

export class PaymentQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() payrollId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() assignmentId?: string;
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'settled', 'returned', 'reissued'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'settled', 'returned', 'reissued'])
  status?: string;
}

export class PaymentDto {
  @ApiProperty() id!: string;
  @ApiProperty() payrollId!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty() recipientPersonId!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty() month!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty() amountKopiyky!: string;
  @ApiProperty({ enum: ['bank', 'post'] }) method!: string;
  @ApiPropertyOptional({
    nullable: true,
    example: 'UA21***********************6001',
    description: 'the account, masked (the full IBAN is only in the bank file)',
  })
  ibanMasked!: string | null;
  @ApiPropertyOptional({ nullable: true }) mfo!: string | null;
  @ApiPropertyOptional({ nullable: true }) postcode!: string | null;
  @ApiProperty({ enum: ['pending', 'sent', 'settled', 'returned', 'reissued'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) batchId!: string | null;
  @ApiProperty({ description: 'pain.001 EndToEndId' }) endToEndId!: string;
  @ApiPropertyOptional({ nullable: true }) reissueOf!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'ISO 20022 return reason, e.g. AC04 closed account' }) returnReasonCode!:
    string | null;
  @ApiPropertyOptional({ nullable: true }) settledOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) returnedOn!: string | null;
}

export class PaymentPageDto {
  @ApiProperty({ type: [PaymentDto] }) items!: PaymentDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * A request under the two-person rule: why, and the document behind it. No account can be given:
 * money goes only to the account on the assignment (the register's approved one).
 */
export class ReissueDto {
  @ApiProperty({ maxLength: 1000, example: 'the bank returned the payment (AC04); the register confirmed the account' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
  @ApiPropertyOptional({ maxLength: 200, description: 'reference of the document behind the request' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  evidenceRef?: string;
}

export class PostDeliveryDto {
  @ApiProperty({ enum: ['delivered', 'undeliverable'] }) @IsIn(['delivered', 'undeliverable']) outcome!: 'delivered' | 'undeliverable';
  @ApiProperty({ example: '2026-12-05' }) @IsISO8601({ strict: true, strictSeparator: true }) on!: string;
  @ApiPropertyOptional({ maxLength: 1000, description: 'required when undeliverable (the return waits for a second treasurer)' })
  @ValidateIf((o: PostDeliveryDto) => o.outcome === 'undeliverable' || o.reason !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;
  @ApiPropertyOptional({ maxLength: 200, description: 'the post office notice of the undeliverable payment' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  evidenceRef?: string;
}

export class StatementImportDto {
  @ApiProperty({ description: 'camt.053.001.08 statement or camt.054 notification, XML text' }) @IsString() @IsNotEmpty() xml!: string;
}

export class StatementResultDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['camt.053', 'camt.054'] }) kind!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty() statementId!: string;
  @ApiProperty() entryCount!: number;
  @ApiProperty() settledCount!: number;
  @ApiProperty() returnedCount!: number;
  @ApiProperty() unmatchedCount!: number;
  @ApiProperty({
    description:
      'returns of already settled payments: kept as return-pending-approval, each with a two-person request (GET /approvals?action=payment.return-settled)',
  })
  pendingApprovalCount!: number;
  @ApiProperty({ description: 'true when this message was imported before (nothing changed)' }) duplicate!: boolean;
}

export class UnmatchedEntryDto {
  @ApiProperty() messageId!: string;
  @ApiProperty() statementId!: string;
  @ApiProperty() seq!: number;
  @ApiPropertyOptional({ nullable: true }) endToEndId!: string | null;
  @ApiProperty() amountKopiyky!: string;
  @ApiProperty() direction!: string;
  @ApiPropertyOptional({ nullable: true }) bookingDate!: string | null;
  @ApiPropertyOptional({ nullable: true }) returnReasonCode!: string | null;
  @ApiPropertyOptional({ nullable: true }) paymentId!: string | null;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
}

export class UnmatchedPageDto {
  @ApiProperty({ type: [UnmatchedEntryDto] }) items!: UnmatchedEntryDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}
