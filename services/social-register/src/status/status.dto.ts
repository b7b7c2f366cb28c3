import { StatusTypes } from '@eisss/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

const DATE = { strict: true, strictSeparator: true } as const;

export class GrantStatusDto {
  @ApiProperty({ enum: StatusTypes }) @IsIn(StatusTypes as unknown as string[]) type!: (typeof StatusTypes)[number];
  @ApiProperty({ example: '2026-03-01' }) @IsISO8601(DATE) validFrom!: string;
  @ApiPropertyOptional({ example: '2027-02-28' }) @IsOptional() @IsISO8601(DATE) validTo?: string;
  @ApiProperty({ description: 'register or document the status comes from', example: 'ЄІБД ВПО' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
  @ApiPropertyOptional({
    description: 'idp: certificateNumber, certificateDate, originKatottg; disability: group (I|II|III)',
    example: { certificateNumber: '0000-1234567890', certificateDate: '2026-03-01', originKatottg: 'UA14000000000000000' },
  })
  @IsOptional()
  @IsObject()
  details?: Record<string, string | number | boolean | null>;
  @ApiPropertyOptional({ description: 'client request id: a retry with the same id returns the same status' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  clientRequestId?: string;
}

export class EndStatusDto {
  @ApiProperty({ example: '2026-10-31' }) @IsISO8601(DATE) validTo!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) source!: string;
}

export class CorrectStatusDto {
  @ApiPropertyOptional() @IsOptional() @IsISO8601(DATE) validFrom?: string;
  @ApiPropertyOptional({ nullable: true, description: 'null reopens the status' })
  @ValidateIf((o) => o.validTo !== null && o.validTo !== undefined)
  @IsISO8601(DATE)
  validTo?: string | null;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) source!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @ApiPropertyOptional() @IsOptional() @IsObject() details?: Record<string, string | number | boolean | null>;
}

export class StatusQueryDto {
  @ApiPropertyOptional({ enum: StatusTypes }) @IsOptional() @IsIn(StatusTypes as unknown as string[]) type?: string;
  @ApiPropertyOptional({ description: 'only statuses valid on this date' }) @IsOptional() @IsISO8601(DATE) activeOn?: string;
  @ApiPropertyOptional({ description: 'include the history of every status' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  history?: boolean;
}

export class StatusDto {
  @ApiProperty() id!: string;
  @ApiProperty() personId!: string;
  @ApiProperty({ enum: StatusTypes }) type!: string;
  @ApiProperty() validFrom!: string;
  @ApiPropertyOptional({ nullable: true }) validTo!: string | null;
  @ApiProperty() source!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true }) katottg!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class StatusHistoryDto {
  @ApiProperty() statusId!: string;
  @ApiProperty() personId!: string;
  @ApiProperty({ enum: ['granted', 'ended', 'corrected', 'moved'] }) action!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the status as it was after this change' }) snapshot!: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ nullable: true }) reason!: string | null;
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'who made the change' }) actorId!: string;
  @ApiProperty() occurredAt!: string;
}

export class PersonStatusesDto {
  @ApiProperty({ type: [StatusDto] }) items!: StatusDto[];
  @ApiProperty({ type: [StatusHistoryDto] }) history!: StatusHistoryDto[];
}

export class StatusWithHistoryDto {
  @ApiProperty({ type: StatusDto }) status!: StatusDto;
  @ApiProperty({ type: [StatusHistoryDto] }) history!: StatusHistoryDto[];
}
