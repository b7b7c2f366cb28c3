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
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  PaymentDto,
  PaymentPageDto,
  PaymentQueryDto,
  PostDeliveryDto,
  ReissueDto,
  StatementImportDto,
  StatementResultDto,
  UnmatchedPageDto,
} from './dto/payment.dto';
import { PaymentService } from './payment.service';

@ApiTags('payments')
@ApiBearerAuth()
@Controller()
export class BankController {
  constructor(private readonly payments: PaymentService) {}

  @Get('payments')
  @Roles(Role.Treasurer)
  @ApiOkResponse({ type: PaymentPageDto, description: 'payments in your territory (the read is audited)' })
  list(@CurrentPrincipal() principal: Principal, @Query() q: PaymentQueryDto): Promise<PaymentPageDto> {
    return this.payments.list(principal, { payrollId: q.payrollId, assignmentId: q.assignmentId, status: q.status, ...pageOf(q) });
  }

  @Get('payments/:id')
  @Roles(Role.Treasurer)
  @ApiOkResponse({ type: PaymentDto })
  @ApiNotFoundResponse({ description: 'PAYMENT_NOT_FOUND (also outside your territory)' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PaymentDto> {
    return this.payments.get(principal, id);
  }

  @Post('payments/:id/reissue')
  @HttpCode(202)
  @Roles(Role.Treasurer)
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description:
      'two-person rule: the request (action payment.reissue); a second treasurer approves it at POST /approvals/{id}/approve, which creates the new pending payment to the account on the assignment (sent with the next batch export of its payroll)',
  })
  @ApiConflictResponse({ description: 'PAYMENT_NOT_RETURNED; DUAL_CONTROL_ALREADY_PENDING' })
  @ApiUnprocessableEntityResponse({ description: 'PAYMENT_ACCOUNT_MISSING: the assignment has no approved account' })
  reissue(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReissueDto,
  ): Promise<DualControlRequest> {
    return this.payments.requestReissue(principal, id, body);
  }

  @Post('payments/:id/post-delivery')
  @HttpCode(200)
  @Roles(Role.Treasurer)
  @ApiOkResponse({ type: PaymentDto, description: 'delivered: the payment is settled' })
  @ApiAcceptedResponse({
    type: DualControlRequestDto,
    description: 'undeliverable: the return waits for a second treasurer (action payment.post-undeliverable)',
  })
  @ApiConflictResponse({ description: 'PAYMENT_NOT_POST, PAYMENT_NOT_SENT, DUAL_CONTROL_ALREADY_PENDING' })
  async postDelivery(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PostDeliveryDto,
    @Res() res: Response,
  ): Promise<void> {
    const r = await this.payments.confirmPost(principal, id, body.outcome, body.on, body);
    res.status(r.status).json(r.body);
  }

  @Get('batches/:id/file')
  @Roles(Role.Treasurer)
  @ApiProduces('application/xml', 'text/csv')
  @ApiOkResponse({
    description:
      'pain.001.001.09 for a bank batch, CSV for a post batch; streamed. National users only; the download is audited (every recipient in the file)',
  })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED' })
  async file(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const b = await this.payments.openBatchFile(principal, id);
    res.status(200);
    res.setHeader('content-type', b.channel === 'bank' ? 'application/xml; charset=utf-8' : 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${b.messageId}.${b.channel === 'bank' ? 'xml' : 'csv'}"`);
    await this.payments.writeBatchFile(b, res);
    res.end();
  }

  @Post('statements')
  @HttpCode(200)
  @Roles(Role.Treasurer)
  @ApiOkResponse({
    type: StatementResultDto,
    description: 'settled, returned, unmatched and pending-approval counts; a repeated message is a no-op (duplicate: true)',
  })
  @ApiForbiddenResponse({ description: 'NATIONAL_SCOPE_REQUIRED' })
  @ApiUnprocessableEntityResponse({ description: 'STATEMENT_ACCOUNT_MISSING, STATEMENT_WRONG_ACCOUNT' })
  importStatement(@CurrentPrincipal() principal: Principal, @Body() body: StatementImportDto): Promise<StatementResultDto> {
    return this.payments.importStatement(principal, body.xml);
  }

  @Get('statements/unmatched')
  @Roles(Role.Treasurer)
  @ApiOkResponse({
    type: UnmatchedPageDto,
    description: 'entries of your territory (entries matching no payment: national users only); the read is audited',
  })
  unmatched(@CurrentPrincipal() principal: Principal, @Query() q: PageQueryDto): Promise<UnmatchedPageDto> {
    return this.payments.unmatched(principal, pageOf(q));
  }
}
