import { Module } from '@nestjs/common';
import { DciCallbackClient } from './dci.callback';
import { DciController } from './dci.controller';
import { DciNotifyConsumer } from './dci-notify.consumer';
import { DciRepository } from './dci.repository';
import { DciService } from './dci.service';

@Module({ controllers: [DciController], providers: [DciService, DciRepository, DciCallbackClient, DciNotifyConsumer] })
export class DciModule {}
