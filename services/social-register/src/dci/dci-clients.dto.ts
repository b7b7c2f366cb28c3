import { PageQueryDto } from '@eisss/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DCI_ACTIONS, DCI_QUERY_TYPES } from './dci-clients.repository';
import { IsPurposeAttributes } from './dci-purpose';
import { RECORD_ATTRIBUTES } from './dci-records';

const PURPOSES_DESCRIPTION = `record attributes each purpose allows: { "<purpose code>": [${RECORD_ATTRIBUTES.join(', ')}] }; a search names its purpose in search_criteria.consent.purpose.code (else "default"); @type, @id and the register's own id are always given; null or absent: every attribute`;

const SENDER_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const KEY_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const KEY_DESCRIPTION =
  'the client’s signing public key: a PEM SPKI ("-----BEGIN PUBLIC KEY-----…") or a JWK object (Ed25519 OKP, EC P-256 or RSA ≥ 2048 bit)';

export class CreateDciClientDto {
  @ApiProperty({ description: 'the DCI header.sender_id of the client system (the same as its token subject)', example: 'spmis-kyiv' })
  @Matches(SENDER_ID)
  senderId!: string;
  @ApiProperty({ example: 'СПМІС Київ' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @ApiProperty({
    description:
      'the client’s DCI base URL: a request’s header.sender_uri (a full callback URL) must be under it; without sender_uri the answer goes to <uri>/registry/on-search | on-subscribe | on-unsubscribe | txn/on-status, notifications to <uri>/registry/notify (or notifyUri)',
    example: 'https://spmis.example.gov.ua/dci',
  })
  @IsString()
  @MaxLength(2000)
  callbackUri!: string;
  @ApiPropertyOptional({
    description: 'a full URL for notifications (/registry/notify of the DCI spec) when not <callbackUri>/registry/notify',
    example: 'https://spmis.example.gov.ua/dci/events/notify',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notifyUri?: string;
  @ApiProperty({ description: KEY_DESCRIPTION, oneOf: [{ type: 'string' }, { type: 'object' }] }) @IsDefined() publicKey!:
    string | Record<string, unknown>;
  @ApiProperty({
    description: 'the key id the client’s signatures name (kidId "<sender_id>|<key id>|<algorithm>")',
    example: 'key-2026-01',
  })
  @Matches(KEY_ID)
  keyId!: string;
  @ApiProperty({ enum: DCI_ACTIONS, isArray: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(DCI_ACTIONS.length)
  @ArrayUnique()
  @IsIn(DCI_ACTIONS as unknown as string[], { each: true })
  allowedActions!: string[];
  @ApiPropertyOptional({ enum: DCI_QUERY_TYPES, isArray: true, description: 'query types its searches may use; all by default' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(DCI_QUERY_TYPES.length)
  @ArrayUnique()
  @IsIn(DCI_QUERY_TYPES as unknown as string[], { each: true })
  allowedQueryTypes?: string[];
  @ApiProperty({ description: 'records returned per message at most (longer pages are cut to it)', minimum: 1, maximum: 100000 })
  @IsInt()
  @Min(1)
  @Max(100000)
  maxRecordsPerRequest!: number;
  @ApiProperty({ description: 'records returned per day (Kyiv time) at most', minimum: 1, maximum: 100000000 })
  @IsInt()
  @Min(1)
  @Max(100000000)
  maxRecordsPerDay!: number;
  @ApiPropertyOptional({
    default: false,
    description: 'callbacks may go to a private, loopback or link-local address (test and in-cluster clients only)',
  })
  @IsOptional()
  @IsBoolean()
  allowPrivateAddress?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string', enum: [...RECORD_ATTRIBUTES] } },
    nullable: true,
    description: PURPOSES_DESCRIPTION,
    example: { 'benefit-eligibility': ['name', 'birth_date', 'address', 'group_size', 'member_list'] },
  })
  @IsOptional()
  @IsPurposeAttributes()
  purposeAttributes?: Record<string, string[]> | null;
}

export class UpdateDciClientDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(300) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) callbackUri?: string;
  @ApiPropertyOptional({ nullable: true, description: 'a full notify URL; null: back to <callbackUri>/registry/notify' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notifyUri?: string | null;
  @ApiPropertyOptional({ description: `${KEY_DESCRIPTION}; needs keyId with it`, oneOf: [{ type: 'string' }, { type: 'object' }] })
  @IsOptional()
  publicKey?: string | Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @Matches(KEY_ID) keyId?: string;
  @ApiPropertyOptional({ enum: DCI_ACTIONS, isArray: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(DCI_ACTIONS.length)
  @ArrayUnique()
  @IsIn(DCI_ACTIONS as unknown as string[], { each: true })
  allowedActions?: string[];
  @ApiPropertyOptional({ enum: DCI_QUERY_TYPES, isArray: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(DCI_QUERY_TYPES.length)
  @ArrayUnique()
  @IsIn(DCI_QUERY_TYPES as unknown as string[], { each: true })
  allowedQueryTypes?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000) maxRecordsPerRequest?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100000000) maxRecordsPerDay?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowPrivateAddress?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string', enum: [...RECORD_ATTRIBUTES] } },
    nullable: true,
    description: `${PURPOSES_DESCRIPTION}; null removes the limit`,
  })
  @IsOptional()
  @IsPurposeAttributes()
  purposeAttributes?: Record<string, string[]> | null;
  @ApiPropertyOptional({ description: 'the version the change is based on; 409 DCI_CLIENT_VERSION_CONFLICT when it moved' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
}

export class DciClientQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ description: 'text in sender id or name' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class DciClientDto {
  @ApiProperty() id!: string;
  @ApiProperty() senderId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() callbackUri!: string;
  @ApiProperty({ nullable: true, type: String }) notifyUri!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'JWK' }) publicKey!: Record<string, unknown>;
  @ApiProperty() keyId!: string;
  @ApiProperty({ enum: ['ed25519', 'es256', 'rs256'] }) keyAlgorithm!: string;
  @ApiProperty({ description: 'RFC 7638 JWK thumbprint' }) keyThumbprint!: string;
  @ApiProperty({ enum: DCI_ACTIONS, isArray: true }) allowedActions!: string[];
  @ApiProperty({ enum: DCI_QUERY_TYPES, isArray: true }) allowedQueryTypes!: string[];
  @ApiProperty() maxRecordsPerRequest!: number;
  @ApiProperty() maxRecordsPerDay!: number;
  @ApiProperty() allowPrivateAddress!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    nullable: true,
    description: 'record attributes allowed per purpose; null: no limit',
  })
  purposeAttributes!: Record<string, string[]> | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() createdBy!: string;
  @ApiProperty() updatedBy!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class DciClientPageDto {
  @ApiProperty({ type: [DciClientDto] }) items!: DciClientDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
