import { Module } from '@nestjs/common';
import { AccessLogRepository } from './access-log.repository';
import { PersonDataReadConsumer } from './person-data-read.consumer';

/** The register's copy of other services' reads of a person (shown by GET /persons/:id/access-log). */
@Module({ controllers: [PersonDataReadConsumer], providers: [AccessLogRepository] })
export class AccessLogModule {}
