import { Role } from '@eisss/contracts';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentPrincipal, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { PageQueryDto, pageOf } from '../http/page.dto';
import { DualControl, type DualControlRequest, type DualControlStatus } from './dual-control.service';

/** Staff who take part in two-person acts (the act's own roles are checked per request). */
const STAFF = [
  Role.Registrar,
  Role.Officer,
  Role.Supervisor,
  Role.Treasurer,
  Role.BudgetOfficer,
  Role.Verifier,
  Role.CaseManager,
  Role.CaseWorker,
];

export class DualControlQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'executed', 'rejected'] })
  @IsOptional()
  @IsIn(['pending', 'executed', 'rejected'])
  status?: DualControlStatus;
  @ApiPropertyOptional({ example: 'payment.reissue' }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) subjectId?: string;
}

export class ApproveDto {
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class RejectDto {
  @ApiProperty({ maxLength: 1000 }) @IsString() @IsNotEmpty() @MaxLength(1000) note!: string;
}

export class DualControlRequestDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'payment.reissue' }) action!: string;
  @ApiProperty() subjectType!: string;
  @ApiProperty() subjectId!: string;
  @ApiPropertyOptional({ nullable: true }) katottg!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
  @ApiPropertyOptional({
    nullable: true,
    description: 'reference of the evidence (document, letter, statement) behind a write-off or return',
  })
  evidenceRef!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['pending', 'executed', 'rejected'] }) status!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiPropertyOptional({ nullable: true }) decidedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) decisionNote!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'what the act produced (e.g. the new payment id)',
  })
  result!: Record<string, unknown> | null;
}

export class DualControlPageDto {
  @ApiProperty({ type: [DualControlRequestDto] }) items!: DualControlRequestDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

/**
 * The second person's desk: acts waiting for approval in the user's territory; approve carries the
 * act out (403 SECOND_PERSON_REQUIRED for the one who asked), reject closes it.
 */
@ApiTags('approvals (two-person rule)')
@ApiBearerAuth()
@Controller('approvals')
export class DualControlController {
  constructor(private readonly dual: DualControl) {}

  @Get()
  @Roles(...STAFF)
  @ApiOkResponse({ type: DualControlPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() q: DualControlQueryDto): Promise<DualControlPageDto> {
    return this.dual.list(principal, { status: q.status, action: q.action, subjectId: q.subjectId, ...pageOf(q) });
  }

  @Get(':id')
  @Roles(...STAFF)
  @ApiOkResponse({ type: DualControlRequestDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DualControlRequest> {
    return this.dual.get(principal, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: DualControlRequestDto, description: 'the act was carried out; `result` says what it produced' })
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ApproveDto,
  ): Promise<DualControlRequest> {
    return this.dual.approve(principal, id, body.note?.trim() || null);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles(...STAFF)
  @ApiOkResponse({ type: DualControlRequestDto })
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RejectDto,
  ): Promise<DualControlRequest> {
    return this.dual.reject(principal, id, body.note.trim());
  }
}
