import { Role } from '@eisss/contracts';
import {
  CurrentPrincipal,
  DualControlRequestDto,
  PageQueryDto,
  Roles,
  pageOf,
  type DualControlRequest,
  type Principal,
} from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { AdjustmentService } from './adjustment.service';

export class AdjustmentQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() assignmentId?: string;
  @ApiPropertyOptional({ enum: ['arrears', 'overpayment'] }) @IsOptional() @IsIn(['arrears', 'overpayment']) kind?: string;
  @ApiPropertyOptional({ description: 'only not yet settled / recovered' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  open?: boolean;
}

export class AdjustmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty() recipientPersonId!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ description: 'the month the difference concerns' }) month!: string;
  @ApiProperty({ enum: ['arrears', 'overpayment'] }) kind!: string;
  @ApiProperty() amountKopiyky!: string;
  @ApiProperty({ description: 'paid (arrears) or recovered (overpayment) so far' }) settledKopiyky!: string;
  @ApiProperty({ description: 'recipient agreed to a recovery above the 20 % limit' }) voluntary!: boolean;
  @ApiProperty() explanation!: string;
}

export class AdjustmentPageDto {
  @ApiProperty({ type: [AdjustmentDto] }) items!: AdjustmentDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when the list was asked with total=false' }) total!: number | null;
}

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** An act on an overpayment: the document behind it and why (two-person rule). */
export class EvidencedActDto {
  @ApiProperty({
    maxLength: 200,
    example: 'заява № 15/2026 від 2026-12-10',
    description: "reference of the document (the recipient's consent, the payment order of the return)",
  })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  evidenceRef!: string;
  @ApiProperty({ maxLength: 1000 }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class VoluntaryReturnDto extends EvidencedActDto {
  @ApiProperty({ example: '50000', description: 'kopiyky returned by the recipient' })
  @Matches(/^[1-9][0-9]{0,14}$/)
  amountKopiyky!: string;
}

@ApiTags('adjustments')
@ApiBearerAuth()
@Controller('adjustments')
export class AdjustmentController {
  constructor(private readonly adjustments: AdjustmentService) {}

  @Get()
  @Roles(Role.Treasurer)
  @ApiOkResponse({ type: AdjustmentPageDto, description: 'adjustments of assignments in your territory (the read is audited)' })
  list(@CurrentPrincipal() principal: Principal, @Query() q: AdjustmentQueryDto): Promise<AdjustmentPageDto> {
    return this.adjustments.list(principal, { assignmentId: q.assignmentId, kind: q.kind, open: q.open, ...pageOf(q) });
  }

  @Post(':id/voluntary-consent')
  @HttpCode(202)
  @Roles(Role.Treasurer)
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description:
      'two-person rule (action adjustment.voluntary-consent): once a second treasurer approves, deductions may take up to the whole monthly amount',
  })
  @ApiNotFoundResponse({ description: 'ADJUSTMENT_NOT_FOUND (also outside your territory)' })
  @ApiConflictResponse({ description: 'ADJUSTMENT_NOT_OVERPAYMENT, ADJUSTMENT_SETTLED, DUAL_CONTROL_ALREADY_PENDING' })
  consent(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: EvidencedActDto,
  ): Promise<DualControlRequest> {
    return this.adjustments.requestConsent(principal, id, body);
  }

  @Post(':id/voluntary-return')
  @HttpCode(202)
  @Roles(Role.Treasurer)
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'two-person rule (action adjustment.voluntary-return): the return is booked when a second treasurer approves',
  })
  @ApiNotFoundResponse({ description: 'ADJUSTMENT_NOT_FOUND (also outside your territory)' })
  @ApiUnprocessableEntityResponse({ description: 'RETURN_EXCEEDS_OVERPAYMENT' })
  voluntaryReturn(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: VoluntaryReturnDto,
  ): Promise<DualControlRequest> {
    return this.adjustments.requestVoluntaryReturn(principal, id, BigInt(body.amountKopiyky), body);
  }
}
