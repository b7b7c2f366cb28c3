import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PersonDto, RegisterPersonDto } from './dto/register-person.dto';
import type { PersonEntity } from './person.entity';
import { PersonService } from './person.service';

export const PersonRoles = { REGISTRAR: 'registrar', OFFICER: 'officer', CITIZEN: 'citizen' } as const;

function toDto(p: PersonEntity): PersonDto {
  return {
    id: p.id,
    rnokpp: p.rnokpp,
    unzr: p.unzr,
    lastName: p.lastName,
    firstName: p.firstName,
    patronymic: p.patronymic,
    birthDate: p.birthDate,
    sex: p.sex,
    deathDate: p.deathDate,
    katottg: p.katottg,
    version: p.version,
  };
}

@ApiTags('persons')
@ApiBearerAuth()
@Controller('persons')
export class PersonController {
  constructor(private readonly persons: PersonService) {}

  @Post()
  @Roles(PersonRoles.REGISTRAR)
  @ApiCreatedResponse({ type: PersonDto })
  @ApiConflictResponse({ description: 'PERSON_DUPLICATE: same РНОКПП or УНЗР; details.existingPersonId' })
  async register(@CurrentPrincipal() principal: Principal, @Body() body: RegisterPersonDto): Promise<PersonDto> {
    return toDto(await this.persons.register(principal, body));
  }

  @Get(':id')
  @Roles(PersonRoles.REGISTRAR, PersonRoles.OFFICER, PersonRoles.CITIZEN)
  @ApiOkResponse({ type: PersonDto })
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PersonDto> {
    return toDto(await this.persons.get(principal, id));
  }
}
