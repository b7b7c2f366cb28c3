import { Role } from '@eisss/contracts';
import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, HttpCode, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DciExceptionFilter } from './dci.filter';
import { DciService } from './dci.service';

const SPEC = 'DCI Social Registry API v1.0.0 (standards/dci/social_api_v1.0.0.yaml)';
const envelope = (message: string, action: string) => ({
  schema: {
    type: 'object',
    required: ['header', 'message'],
    description: `${SPEC}: { signature, header: MsgHeader_V1.0.0 (action "${action}"), message: ${message} }. Validated against the spec; signature by the sender's registered key over {header}+{message} (see README, DCI client register).`,
    properties: {
      signature: { type: 'string' },
      header: { type: 'object', additionalProperties: true },
      message: { type: 'object', additionalProperties: true },
    },
  },
});
const ACK = {
  description:
    'Response: { message: { ack_status: ACK | NACK (duplicate message_id), timestamp, correlation_id } }; the result goes, signed by the register, to header.sender_uri exactly as given (a full URL under the client’s registered callback address), else to the registered default <callbackUri>/registry/on-search | on-subscribe | on-unsubscribe | txn/on-status',
};
const ERR = {
  description:
    'ERR acknowledgement: { message: { ack_status: ERR, error: { code: err.request.bad | err.version.not_supported | err.sender_uri.invalid (not under the registered callback address, or not a public address) | err.receiver_id.invalid | err.encryption.invalid | err.request.too_many_requests (429: daily record quota), message } } }',
};
const HTTP_ERR = {
  description:
    'HttpErrorResponse (401/403, as the spec lists them): { errors: [{ code: err.request.unauthorized (no or bad token) | err.signature.missing | err.signature.invalid (401) | err.request.forbidden (role or action not allowed) | err.sender_id.invalid (403: not the authenticated system, or not a registered active DCI client), message }] }',
};

@ApiTags('dci')
@ApiBearerAuth()
@Controller('registry')
@UseFilters(DciExceptionFilter)
@Roles(Role.System)
export class DciController {
  constructor(private readonly dci: DciService) {}

  @Post('sync/search')
  @HttpCode(200)
  @ApiOperation({ summary: 'DCI sync search (idtype-value: RNOKPP | UNZR | ID; expression with $and; predicate with and)' })
  @ApiBody(envelope('SearchRequest', 'search'))
  @ApiOkResponse({
    description:
      '{ header: MsgCallbackHeader (action on-search, status succ | rjct with MsgHeaderStatusReasonCode), message: SearchResponse with SRPerson records per request }',
  })
  @ApiBadRequestResponse(ERR)
  @ApiUnauthorizedResponse(HTTP_ERR)
  @ApiForbiddenResponse(HTTP_ERR)
  syncSearch(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.dci.syncSearch(p, body);
  }

  @Post('search')
  @HttpCode(200)
  @ApiOperation({ summary: 'DCI async search: ACK now, on-search callback to header.sender_uri later' })
  @ApiBody(envelope('SearchRequest', 'search'))
  @ApiOkResponse(ACK)
  @ApiBadRequestResponse(ERR)
  @ApiUnauthorizedResponse(HTTP_ERR)
  search(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.dci.asyncSearch(p, body);
  }

  @Post('subscribe')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'DCI subscribe to register events (REGISTER, UPDATE, DELETE, LINK, UNLINK, DEATH; NewHouseHoldMember) with a filter on the search attributes; on-subscribe callback, then notify callbacks to the registered notify URI',
  })
  @ApiBody(envelope('SubscribeRequest', 'subscribe'))
  @ApiOkResponse(ACK)
  @ApiBadRequestResponse(ERR)
  @ApiUnauthorizedResponse(HTTP_ERR)
  subscribe(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.dci.subscribe(p, body);
  }

  @Post('unsubscribe')
  @HttpCode(200)
  @ApiOperation({ summary: 'DCI unsubscribe by subscription codes; on-unsubscribe callback' })
  @ApiBody(envelope('UnSubscribeRequest', 'unsubscribe'))
  @ApiOkResponse(ACK)
  @ApiBadRequestResponse(ERR)
  @ApiUnauthorizedResponse(HTTP_ERR)
  @ApiForbiddenResponse(HTTP_ERR)
  unsubscribe(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.dci.unsubscribe(p, body);
  }

  @Post('sync/txn/status')
  @HttpCode(200)
  @ApiOperation({
    summary: 'DCI sync transaction status of a search or subscribe (by transaction_id, reference_id_list or correlation_id)',
  })
  @ApiBody(envelope('TxnStatusRequest', 'txn-status'))
  @ApiOkResponse({
    description:
      '{ signature, header (MsgCallbackHeader, action txn-on-status), message: TxnStatusResponse }; an unknown transaction: the envelope with header status rjct and status_reason_message, no message',
  })
  @ApiBadRequestResponse(ERR)
  @ApiUnauthorizedResponse(HTTP_ERR)
  @ApiForbiddenResponse(HTTP_ERR)
  txnStatus(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.dci.txnStatus(p, body);
  }

  @Post('txn/status')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'DCI async transaction status: ACK now, the same answer as the sync one to /registry/txn/on-status (header.sender_uri as given, else <callbackUri>/registry/txn/on-status)',
  })
  @ApiBody(envelope('TxnStatusRequest', 'txn-status'))
  @ApiOkResponse(ACK)
  @ApiBadRequestResponse(ERR)
  @ApiUnauthorizedResponse(HTTP_ERR)
  @ApiForbiddenResponse(HTTP_ERR)
  asyncTxnStatus(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.dci.asyncTxnStatus(p, body);
  }
}
