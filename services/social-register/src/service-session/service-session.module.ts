import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PersonModule } from '../person/person.module';
import { ServiceSessionController } from './service-session.controller';
import { ServiceSessionInterceptor } from './service-session.interceptor';
import { ServiceSessionRepository } from './service-session.repository';
import { ServiceSessionService } from './service-session.service';

@Module({
  imports: [PersonModule],
  controllers: [ServiceSessionController],
  providers: [ServiceSessionRepository, ServiceSessionService, { provide: APP_INTERCEPTOR, useClass: ServiceSessionInterceptor }],
})
export class ServiceSessionModule {}
