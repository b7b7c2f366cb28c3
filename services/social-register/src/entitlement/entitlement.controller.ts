import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { EntitlementService } from './entitlement.service';

class PaymentUseDto {
  @ApiProperty() paymentId!: string;
  @ApiProperty() assignmentId!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ example: '2026-11' }) month!: string;
  @ApiProperty({ description: 'kopiyky as a decimal string', example: '200000' }) amountKopiyky!: string;
  @ApiProperty() settledOn!: string;
}

class EntitlementMonthDto {
  @ApiProperty() month!: string;
  @ApiProperty({ description: 'kopiyky as a decimal string' }) amountKopiyky!: string;
  @ApiProperty() explanation!: string;
}

class EntitlementDto {
  @ApiProperty() assignmentId!: string;
  @ApiProperty() personId!: string;
  @ApiProperty({ enum: ['recipient', 'member'] }) role!: string;
  @ApiProperty() programmeCode!: string;
  @ApiProperty({ enum: ['active', 'suspended', 'terminated'] }) status!: string;
  @ApiProperty() periodFrom!: string;
  @ApiProperty() periodTo!: string;
  @ApiProperty() assignmentVersion!: number;
  @ApiProperty() katottg!: string;
  @ApiProperty({ type: [EntitlementMonthDto] }) months!: EntitlementMonthDto[];
  @ApiProperty({ description: 'the processing event that last changed it' }) lastEvent!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ description: 'sum of the months, kopiyky' }) entitledKopiyky!: string;
  @ApiProperty({ description: 'sum of settled payments, kopiyky' }) paidKopiyky!: string;
  @ApiProperty({ type: [PaymentUseDto] }) payments!: PaymentUseDto[];
}

class PersonEntitlementsDto {
  @ApiProperty() personId!: string;
  @ApiProperty({ type: [EntitlementDto] }) items!: EntitlementDto[];
  @ApiPropertyOptional({ type: [PaymentUseDto], description: 'settled payments whose assignment the register has not heard of yet' })
  unmatchedPayments!: PaymentUseDto[];
}

@ApiTags('entitlements')
@ApiBearerAuth()
@Controller('persons/:personId/entitlements')
export class EntitlementController {
  constructor(private readonly entitlements: EntitlementService) {}

  @Get()
  @Roles(Role.Registrar, Role.Officer, Role.Supervisor, Role.Citizen, Role.CaseWorker, Role.CaseManager, Role.System)
  @ApiOkResponse({ type: PersonEntitlementsDto, description: 'status, right to support and how that right is used' })
  get(@CurrentPrincipal() p: Principal, @Param('personId', ParseUUIDPipe) personId: string): Promise<PersonEntitlementsDto> {
    return this.entitlements.ofPerson(p, personId);
  }
}
