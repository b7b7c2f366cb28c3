import { Module } from '@nestjs/common';
import { HouseholdModule } from '../household/household.module';
import { StatusModule } from '../status/status.module';
import { AccountProposalConsumer } from './account-proposal.consumer';
import { AccountSealing } from './account-sealing';
import { PersonController } from './person.controller';
import { PersonRepository } from './person.repository';
import { PersonService } from './person.service';
import { PersonPiiModule } from './pii.service';

@Module({
  imports: [PersonPiiModule, HouseholdModule, StatusModule],
  controllers: [PersonController, AccountProposalConsumer],
  providers: [PersonService, PersonRepository, AccountSealing],
  exports: [PersonRepository, AccountSealing],
})
export class PersonModule {}
