import { Role } from '@eisss/contracts';
import { AuditLog, CurrentPrincipal, DomainError, Roles, assertTerritory, type Principal } from '@eisss/platform';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { PersonProjectionEntity } from './person-projection.entity';
import { PersonProjectionRepository } from './person-projection.repository';

export enum PersonProjectionErrorCode {
  PERSON_PROJECTION_NOT_FOUND = 'PERSON_PROJECTION_NOT_FOUND',
}

@ApiTags('persons')
@ApiBearerAuth()
@Controller('persons')
export class PersonProjectionController {
  constructor(
    private readonly projections: PersonProjectionRepository,
    private readonly audit: AuditLog,
  ) {}

  @Get(':id')
  @Roles(Role.Officer, Role.Registrar)
  @ApiOkResponse({ description: 'The person as processing knows it (projection of the register).' })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PersonProjectionEntity> {
    const p = await this.projections.findById(id);
    if (!p) throw DomainError.notFound(PersonProjectionErrorCode.PERSON_PROJECTION_NOT_FOUND, `person ${id} is not known to processing`);
    assertTerritory(principal, p.katottg);
    await this.audit.recordRead(principal, 'person', [id], 'processing person card');
    return p;
  }
}
