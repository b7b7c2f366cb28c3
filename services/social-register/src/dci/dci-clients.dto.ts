import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DCI_ACTIONS, DCI_QUERY_TYPES } from './dci-clients.repository';

const SENDER_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const KEY_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const KEY_DESCRIPTION = 'the client’s signing public key: a PEM SPKI ("-----BEGIN PUBLIC KEY-----…") or a JWK object (Ed25519 OKP, EC P-256 or RSA ≥ 2048 bit)';

export class CreateDciClientDto {
  @ApiProperty({ description: 'the DCI header.sender_id of the client system (the same as its token subject)', example: 'spmis-kyiv' }) @Matches(SENDER_ID) senderId!: string;
  @ApiProperty({ example: 'СПМІС Київ' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @ApiProperty({ description: 'the client’s DCI base URL (its header.sender_uri); callbacks go to <uri>/registry/on-search | on-subscribe | on-unsubscribe | notify', example: 'https://spmis.example.gov.ua/dci' })
  @IsString() @MaxLength(2000) callbackUri!: string;
  @ApiProperty({ description: KEY_DESCRIPTION, oneOf: [{ type: 'string' }, { type: 'object' }] }) @IsDefined() publicKey!: string | Record<string, unknown>;
  @ApiProperty({ description: 'the key id the client’s signatures name (kidId "<sender_id>|<key id>|<algorithm>")', example: 'key-2026-01' }) @Matches(KEY_ID) keyId!: string;
  @ApiProperty({ enum: DCI_ACTIONS, isArray: true }) @ArrayMinSize(1) @ArrayMaxSize(DCI_ACTIONS.length) @ArrayUnique() @IsIn(DCI_ACTIONS as unknown as string[], { each: true }) allowedActions!: string[];
  @ApiPropertyOptional({ enum: DCI_QUERY_TYPES, isArray: true, description: 'query types its searches may use; all by default' })
  @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(DCI_QUERY_TYPES.length) @ArrayUnique() @IsIn(DCI_QUERY_TYPES as unknown as string[], { each: true }) allowedQueryTypes?: string[];
  @ApiProperty({ description: 'records returned per message at most (longer pages are cut to it)', minimum: 1, maximum: 100000 }) @IsInt() @Min(1) @Max(100000) maxRecordsPerRequest!: number;
  @ApiProperty({ description: 'records returned per day (Kyiv time) at most', minimum: 1, maximum: 100000000 }) @IsInt() @Min(1) @Max(100000000) maxRecordsPerDay!: number;
  @ApiPropertyOptional({ default: false, description: 'callbacks may go to a private, loopback or link-local address (test and in-cluster clients only)' }) @IsOptional() @IsBoolean() allowPrivateAddress?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateDciClientDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(300) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) callbackUri?: string;
  @ApiPropertyOptional({ description: `${KEY_DESCRIPTION}; needs keyId with it`, oneOf: [{ type: 'string' }, { type: 'object' }] }) @IsOptional() publicKey?: string | Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @Matches(KEY_ID) keyId?: string;
  @ApiPropertyOptional({ enum: DCI_ACTIONS, isArray: true }) @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(DCI_ACTIONS.length) @ArrayUnique() @IsIn(DCI_ACTIONS as unknown as string[], { each: true }) allowedActions?: string[];
  @ApiPropertyOptional({ enum: DCI_QUERY_TYPES, isArray: true }) @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(DCI_QUERY_TYPES.length) @ArrayUnique() @IsIn(DCI_QUERY_TYPES as unknown as string[], { each: true }) allowedQueryTypes?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) maxRecordsPerRequest?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000000) maxRecordsPerDay?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowPrivateAddress?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: 'the version the change is based on; 409 DCI_CLIENT_VERSION_CONFLICT when it moved' }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;
}

export class DciClientQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: 'text in sender id or name' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class DciClientDto {
  @ApiProperty() id!: string;
  @ApiProperty() senderId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() callbackUri!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JWK' }) publicKey!: Record<string, unknown>;
  @ApiProperty() keyId!: string;
  @ApiProperty({ enum: ['ed25519', 'es256', 'rs256'] }) keyAlgorithm!: string;
  @ApiProperty({ description: 'RFC 7638 JWK thumbprint' }) keyThumbprint!: string;
  @ApiProperty({ enum: DCI_ACTIONS, isArray: true }) allowedActions!: string[];
  @ApiProperty({ enum: DCI_QUERY_TYPES, isArray: true }) allowedQueryTypes!: string[];
  @ApiProperty() maxRecordsPerRequest!: number;
  @ApiProperty() maxRecordsPerDay!: number;
  @ApiProperty() allowPrivateAddress!: boolean;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class DciClientPageDto {
  @ApiProperty({ type: [DciClientDto] }) items!: DciClientDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
