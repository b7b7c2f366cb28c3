import { Module } from '@nestjs/common';
import { EntitlementConsumer } from './entitlement.consumer';
import { EntitlementController } from './entitlement.controller';
import { EntitlementRepository } from './entitlement.repository';
import { EntitlementService } from './entitlement.service';

@Module({ controllers: [EntitlementController, EntitlementConsumer], providers: [EntitlementRepository, EntitlementService] })
export class EntitlementModule {}
