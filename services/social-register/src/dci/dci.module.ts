import { Module } from '@nestjs/common';
import { DciCallbackClient, DciCallbackCredentials, DciRegisterKey } from './dci.callback';
import { DciCallbackWorker } from './dci-callback.worker';
import { DciClientController } from './dci-clients.controller';
import { DciClientRepository } from './dci-clients.repository';
import { DciClientService } from './dci-clients.service';
import { DciController } from './dci.controller';
import { DciNotifyConsumer } from './dci-notify.consumer';
import { DciRepository } from './dci.repository';
import { DciService } from './dci.service';

@Module({
  controllers: [DciController, DciClientController, DciNotifyConsumer],
  providers: [
    DciService,
    DciRepository,
    DciClientRepository,
    DciClientService,
    DciRegisterKey,
    DciCallbackCredentials,
    DciCallbackClient,
    DciCallbackWorker,
  ],
})
export class DciModule {}
