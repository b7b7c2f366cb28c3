import { IsRnokpp } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const SERVICE_PURPOSES = ['application', 'appeal', 'case', 'status', 'account-change', 'consultation'] as const;
export const REFERENCE_TYPES = ['application', 'appeal', 'case'] as const;
export const DOCUMENT_TYPES = ['passport', 'id-card', 'residence-permit', 'birth-certificate', 'travel-passport'] as const;

/** How the person was identified: present with a document the officer checked, or by their consent in Diia. */
export class IdentificationDto {
  @ApiProperty({ enum: ['document', 'diia-consent'] }) @IsIn(['document', 'diia-consent']) method!: 'document' | 'diia-consent';
  @ApiProperty({ description: "the person's РНОКПП (check digit verified)" }) @IsRnokpp() rnokpp!: string;
  @ApiPropertyOptional({ enum: DOCUMENT_TYPES, description: 'for method document' })
  @IsOptional()
  @IsIn(DOCUMENT_TYPES)
  documentType?: string;
  @ApiPropertyOptional({ description: 'for method document: its number as printed (series and number)' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-ZА-ЯІЇЄҐ -]{4,20}$/u, { message: 'documentNumber must be 4 to 20 letters, digits, spaces or hyphens' })
  documentNumber?: string;
  @ApiPropertyOptional({ description: 'for method diia-consent: the consent id Diia issued' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  consentId?: string;
}

export class ReferenceDto {
  @ApiProperty({ enum: REFERENCE_TYPES }) @IsIn(REFERENCE_TYPES) type!: string;
  @ApiProperty() @IsUUID() id!: string;
}

export class OpenServiceSessionDto {
  @ApiProperty({ type: IdentificationDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => IdentificationDto)
  identification!: IdentificationDto;
  @ApiProperty({ enum: SERVICE_PURPOSES }) @IsIn(SERVICE_PURPOSES) purpose!: string;
  @ApiPropertyOptional({ type: ReferenceDto, description: 'the application, appeal or case the session serves (may be set later)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferenceDto)
  reference?: ReferenceDto;
  @ApiPropertyOptional({ default: 240, minimum: 5, maximum: 720 }) @IsOptional() @IsInt() @Min(5) @Max(720) expiresInMinutes?: number;
}

export class SetReferenceDto {
  @ApiProperty({ type: ReferenceDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => ReferenceDto) reference!: ReferenceDto;
}

export class ServiceSessionDto {
  @ApiProperty() id!: string;
  @ApiProperty() personId!: string;
  @ApiProperty() officerId!: string;
  @ApiProperty({ description: 'the КАТОТТГ territory of the office that serves the person' }) officeTerritory!: string;
  @ApiPropertyOptional({ nullable: true, description: "the person's registered territory (their home office)" }) homeKatottg!:
    string | null;
  @ApiProperty({ enum: SERVICE_PURPOSES }) purpose!: string;
  @ApiPropertyOptional({ type: ReferenceDto, nullable: true }) reference!: ReferenceDto | null;
  @ApiProperty({ enum: ['document', 'diia-consent'] }) identifiedBy!: string;
  @ApiProperty({ description: 'the document type and the last characters of its number, or the Diia consent id' }) evidence!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty() expiresAt!: string;
  @ApiPropertyOptional({ nullable: true }) closedAt!: string | null;
  @ApiProperty({ description: 'open and not expired' }) active!: boolean;
}

export class ServiceSessionPageDto {
  @ApiProperty({ type: [ServiceSessionDto] }) items!: ServiceSessionDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
