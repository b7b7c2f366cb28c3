import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, pageOf, pageResult, type Principal } from '@eisss/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { DciClientDto, DciClientPageDto, DciClientQueryDto, CreateDciClientDto, UpdateDciClientDto } from './dci-clients.dto';
import { DciClientService } from './dci-clients.service';
import { DciRegisterKey } from './dci.callback';

/** The register of DCI clients (administrators) and the register's own signing key (published to its clients). */
@ApiTags('dci-clients')
@ApiBearerAuth()
@Controller('dci')
export class DciClientController {
  constructor(
    private readonly clients: DciClientService,
    private readonly key: DciRegisterKey,
  ) {}

  @Post('clients')
  @Roles(Role.Admin)
  @ApiOperation({
    summary: 'Register a DCI client: sender id, callback base URL, signing public key, allowed actions and query types, record quotas',
  })
  @ApiCreatedResponse({ type: DciClientDto })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED | DCI_CLIENT_KEY_INVALID (publicKey) | DCI_CLIENT_CALLBACK_INVALID | DCI_CLIENT_CALLBACK_PRIVATE (callbackUri) | DCI_CLIENT_QUOTA_INVALID',
  })
  @ApiConflictResponse({ description: 'DCI_CLIENT_SENDER_TAKEN (senderId)' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateDciClientDto): Promise<DciClientDto> {
    return this.clients.create(p, body);
  }

  @Get('clients')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: DciClientPageDto })
  async list(@CurrentPrincipal() _p: Principal, @Query() q: DciClientQueryDto): Promise<DciClientPageDto> {
    const page = pageOf(q);
    return pageResult(page, await this.clients.list({ active: q.active, q: q.q, ...page }));
  }

  @Get('clients/:id')
  @Roles(Role.Admin)
  @ApiOkResponse({ type: DciClientDto })
  @ApiNotFoundResponse({ description: 'DCI_CLIENT_NOT_FOUND' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DciClientDto> {
    return this.clients.get(id);
  }

  @Patch('clients/:id')
  @Roles(Role.Admin)
  @ApiOperation({ summary: 'Change a DCI client (a new callback or key is audited as its own act, with the old and new value)' })
  @ApiOkResponse({ type: DciClientDto })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED | DCI_CLIENT_KEY_INVALID | DCI_CLIENT_KEY_ID_REQUIRED | DCI_CLIENT_CALLBACK_INVALID | DCI_CLIENT_CALLBACK_PRIVATE | DCI_CLIENT_QUOTA_INVALID',
  })
  @ApiNotFoundResponse({ description: 'DCI_CLIENT_NOT_FOUND' })
  @ApiConflictResponse({ description: 'DCI_CLIENT_VERSION_CONFLICT (expectedVersion)' })
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateDciClientDto,
  ): Promise<DciClientDto> {
    return this.clients.update(p, id, body);
  }

  @Get('register-key')
  @Roles(Role.Admin, Role.System)
  @ApiOperation({
    summary: 'The register’s public signing key (JWKS): callbacks carry signature kidId "social-register|<kid>|<algorithm>"',
  })
  @ApiOkResponse({ description: '{ keys: [JWK with kid, alg, use] }' })
  registerKey() {
    return { keys: [this.key.publicJwk()] };
  }
}
