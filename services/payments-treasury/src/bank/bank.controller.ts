import { CurrentPrincipal, Roles, type Principal } from '@eisss/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PageQueryDto } from '../shared/page.dto';
import { PaymentDto, PaymentPageDto, PaymentQueryDto, PostDeliveryDto, ReissueDto, StatementImportDto, StatementResultDto, UnmatchedPageDto } from './dto/payment.dto';
import { PaymentService } from './payment.service';

@ApiTags('payments')
@ApiBearerAuth()
@Controller()
export class BankController {
  constructor(private readonly payments: PaymentService) {}

  @Get('payments')
  @Roles('treasurer')
  @ApiOkResponse({ type: PaymentPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() q: PaymentQueryDto): Promise<PaymentPageDto> {
    return this.payments.list(principal, { payrollId: q.payrollId, assignmentId: q.assignmentId, status: q.status, limit: q.limit ?? 50, offset: q.offset ?? 0 });
  }

  @Get('payments/:id')
  @Roles('treasurer')
  @ApiOkResponse({ type: PaymentDto })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PaymentDto> {
    return this.payments.get(principal, id);
  }

  @Post('payments/:id/reissue')
  @Roles('treasurer')
  @ApiOkResponse({ type: PaymentDto, description: 'the new pending payment (sent with the next batch export of its payroll)' })
  reissue(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ReissueDto): Promise<PaymentDto> {
    return this.payments.reissue(principal, id, body.method === 'bank' ? { method: 'bank', iban: body.iban! } : { method: 'post', postcode: body.postcode! });
  }

  @Post('payments/:id/post-delivery')
  @HttpCode(200)
  @Roles('treasurer')
  @ApiOkResponse({ type: PaymentDto, description: 'post office confirmation: delivered (settled) or undeliverable (returned)' })
  postDelivery(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: PostDeliveryDto): Promise<PaymentDto> {
    return this.payments.confirmPost(principal, id, body.outcome, body.on);
  }

  @Get('batches/:id/file')
  @Roles('treasurer')
  @ApiProduces('application/xml', 'text/csv')
  @ApiOkResponse({ description: 'pain.001.001.09 for a bank batch, CSV for a post batch; streamed' })
  async file(@Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const b = await this.payments.batch(id);
    res.status(200);
    res.setHeader('content-type', b.channel === 'bank' ? 'application/xml; charset=utf-8' : 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${b.messageId}.${b.channel === 'bank' ? 'xml' : 'csv'}"`);
    await this.payments.writeBatchFile(id, res);
    res.end();
  }

  @Post('statements')
  @HttpCode(200)
  @Roles('treasurer')
  @ApiOkResponse({ type: StatementResultDto, description: 'settled, returned and unmatched counts; a repeated message is a no-op (duplicate: true)' })
  importStatement(@CurrentPrincipal() principal: Principal, @Body() body: StatementImportDto): Promise<StatementResultDto> {
    return this.payments.importStatement(principal, body.xml);
  }

  @Get('statements/unmatched')
  @Roles('treasurer')
  @ApiOkResponse({ type: UnmatchedPageDto })
  unmatched(@Query() q: PageQueryDto): Promise<UnmatchedPageDto> {
    return this.payments.unmatched(q.limit ?? 50, q.offset ?? 0);
  }
}
