import { Module } from '@nestjs/common';
import { SocialServicesConsumer } from './social-services.consumer';
import { SocialServicesController } from './social-services.controller';
import { SocialServicesRepository } from './social-services.repository';

@Module({ controllers: [SocialServicesController, SocialServicesConsumer], providers: [SocialServicesRepository] })
export class SocialServicesModule {}
