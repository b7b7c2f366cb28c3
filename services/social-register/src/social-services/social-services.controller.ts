import { Role } from '@eisss/contracts';
import { AuditLog, CurrentPrincipal, DomainError, PlatformErrorCode, Roles, hasRole, type Principal } from '@eisss/platform';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { SocialServicesRepository } from './social-services.repository';

class SocialServiceCaseDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) openedOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) closedOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) outcome!: string | null;
}

class SocialServiceDto {
  @ApiProperty({ example: '015.1' }) serviceCode!: string;
  @ApiProperty({ example: 'Догляд вдома' }) serviceName!: string;
  @ApiProperty() providerId!: string;
  @ApiProperty() caseId!: string;
  @ApiProperty() katottg!: string;
  @ApiProperty() firstProvidedOn!: string;
  @ApiProperty() lastProvidedOn!: string;
  @ApiProperty() visits!: number;
}

export class PersonSocialServicesDto {
  @ApiProperty() personId!: string;
  @ApiProperty({ type: [SocialServiceCaseDto] }) cases!: SocialServiceCaseDto[];
  @ApiProperty({ type: [SocialServiceDto] }) services!: SocialServiceDto[];
}

@ApiTags('persons')
@ApiBearerAuth()
@Controller('persons')
export class SocialServicesController {
  constructor(
    private readonly repo: SocialServicesRepository,
    private readonly audit: AuditLog,
  ) {}

  @Get(':personId/social-services')
  @Roles(Role.Officer, Role.CaseWorker, Role.Citizen)
  @ApiOperation({
    summary: 'Social services the person receives (cases and services provided), within your territory; citizens see their own',
  })
  @ApiOkResponse({ type: PersonSocialServicesDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('personId', ParseUUIDPipe) personId: string,
  ): Promise<PersonSocialServicesDto> {
    const self = principal.personId === personId;
    if (!self && !hasRole(principal, Role.Officer, Role.CaseWorker)) {
      throw DomainError.forbidden(PlatformErrorCode.FORBIDDEN, 'a citizen sees only their own social services');
    }
    const data = await this.repo.ofPerson(personId, self ? 'UA' : principal.territory);
    await this.audit.recordRead(principal, 'person', [personId], 'social services received');
    return { personId, ...data };
  }
}
