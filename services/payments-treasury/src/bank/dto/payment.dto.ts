import { IsUaIban } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../shared/page.dto';

export class PaymentQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() payrollId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() assignmentId?: string;
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'settled', 'returned', 'reissued'] }) @IsOptional() @IsIn(['pending', 'sent', 'settled', 'returned', 'reissued']) status?: string;
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
  @ApiPropertyOptional({ nullable: true }) iban!: string | null;
  @ApiPropertyOptional({ nullable: true }) mfo!: string | null;
  @ApiPropertyOptional({ nullable: true }) postcode!: string | null;
  @ApiProperty({ enum: ['pending', 'sent', 'settled', 'returned', 'reissued'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) batchId!: string | null;
  @ApiProperty({ description: 'pain.001 EndToEndId' }) endToEndId!: string;
  @ApiPropertyOptional({ nullable: true }) reissueOf!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'ISO 20022 return reason, e.g. AC04 closed account' }) returnReasonCode!: string | null;
  @ApiPropertyOptional({ nullable: true }) settledOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) returnedOn!: string | null;
}

export class PaymentPageDto {
  @ApiProperty({ type: [PaymentDto] }) items!: PaymentDto[];
  @ApiProperty() total!: number;
}

export class ReissueDto {
  @ApiProperty({ enum: ['bank', 'post'] }) @IsIn(['bank', 'post']) method!: 'bank' | 'post';
  @ApiPropertyOptional({ description: 'corrected UA IBAN (method bank)' }) @ValidateIf((o: ReissueDto) => o.method === 'bank') @IsUaIban() iban?: string;
  @ApiPropertyOptional({ description: 'postcode (method post)' }) @ValidateIf((o: ReissueDto) => o.method === 'post') @Matches(/^[0-9]{5}$/) postcode?: string;
}

export class PostDeliveryDto {
  @ApiProperty({ enum: ['delivered', 'undeliverable'] }) @IsIn(['delivered', 'undeliverable']) outcome!: 'delivered' | 'undeliverable';
  @ApiProperty({ example: '2026-12-05' }) @IsISO8601({ strict: true, strictSeparator: true }) on!: string;
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
  @ApiProperty() total!: number;
}
