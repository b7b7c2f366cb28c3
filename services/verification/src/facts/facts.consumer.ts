import {
  BorderCrossingRecordedV1,
  CrvsPersonBornV1,
  CrvsPersonDiedV1,
  CurrencyPurchaseReportedV1,
  DepositReportedV1,
  IncomeReportedV1,
  PropertyRegisteredV1,
  RealEstatePurchaseRegisteredV1,
  VehicleRegisteredV1,
  type EventEnvelope,
  type PayloadOf,
} from '@eisss/contracts';
import { inboxGroup } from '@eisss/platform';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ChecksService } from '../checks/checks.service';
import { FactsRepository } from './facts.repository';

type E<C> = EventEnvelope<PayloadOf<C>>;

const GROUP = inboxGroup('verification.inbound-facts');

/**
 * Stores facts from other registers, keyed by personId (no РНОКПП is kept). A corrected fact
 * (same register and reference) replaces the earlier one. A death raises its finding at once.
 */
@Controller()
export class FactsConsumer {
  constructor(
    private readonly facts: FactsRepository,
    private readonly checks: ChecksService,
  ) {}

  @EventPattern(CrvsPersonDiedV1.topic, GROUP)
  async onDied(@Payload() event: E<typeof CrvsPersonDiedV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'crvs',
      kind: 'death',
      reference: p.referenceId,
      personId: p.personId,
      occurredOn: p.deathDate,
      data: {
        deathDate: p.deathDate,
        deathPlace: p.deathPlace,
        registeredOn: p.registeredOn,
        regEventType: p.regEventType,
        regRecordType: p.regRecordType,
      },
      eventId: event.eventId,
    });
    await this.checks.raiseDeathNow(p.personId, p.deathDate);
  }

  @EventPattern(CrvsPersonBornV1.topic, GROUP)
  async onBorn(@Payload() event: E<typeof CrvsPersonBornV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'crvs',
      kind: 'birth',
      reference: p.referenceId,
      personId: p.personId,
      occurredOn: p.birthDate,
      data: {
        birthDate: p.birthDate,
        birthPlace: p.birthPlace,
        sex: p.sex,
        parentPersonIds: p.parentPersonIds,
        registeredOn: p.registeredOn,
      },
      eventId: event.eventId,
    });
  }

  @EventPattern(BorderCrossingRecordedV1.topic, GROUP)
  async onBorderCrossed(@Payload() event: E<typeof BorderCrossingRecordedV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'border-guard',
      kind: 'border-crossing',
      reference: p.crossingId,
      personId: p.personId,
      occurredOn: p.crossedOn,
      data: { direction: p.direction, crossedOn: p.crossedOn, checkpoint: p.checkpoint, stayReason: p.stayReason ?? null },
      eventId: event.eventId,
    });
  }

  @EventPattern(IncomeReportedV1.topic, GROUP)
  async onIncome(@Payload() event: E<typeof IncomeReportedV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'tax-income',
      kind: 'income',
      reference: p.reportId,
      personId: p.personId,
      occurredOn: `${p.month}-01`,
      data: { month: p.month, incomeKind: p.incomeKind, amountKopiyky: p.amountKopiyky, payerCode: p.payerCode },
      eventId: event.eventId,
    });
  }

  @EventPattern(DepositReportedV1.topic, GROUP)
  async onDeposit(@Payload() event: E<typeof DepositReportedV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'bank-deposits',
      kind: 'deposit',
      reference: p.reportId,
      personId: p.personId,
      occurredOn: p.asOf,
      data: { bankCode: p.bankCode, accountReference: p.accountReference, balanceKopiyky: p.balanceKopiyky, asOf: p.asOf },
      eventId: event.eventId,
    });
  }

  @EventPattern(VehicleRegisteredV1.topic, GROUP)
  async onVehicle(@Payload() event: E<typeof VehicleRegisteredV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'vehicle-register',
      kind: 'vehicle',
      reference: p.registrationId,
      personId: p.personId,
      occurredOn: p.registeredOn,
      data: {
        vehicleKind: p.vehicleKind,
        make: p.make,
        manufactureYear: p.manufactureYear,
        registeredOn: p.registeredOn,
        deregisteredOn: p.deregisteredOn,
        manufactureDate: p.manufactureDate ?? null,
        acquiredOn: p.acquiredOn ?? null,
        acquisitionKind: p.acquisitionKind ?? null,
        valueKopiyky: p.valueKopiyky ?? null,
        wanted: p.wanted ?? false,
        destroyed: p.destroyed ?? false,
        transferredForDefence: p.transferredForDefence ?? false,
      },
      eventId: event.eventId,
    });
  }

  @EventPattern(PropertyRegisteredV1.topic, GROUP)
  async onProperty(@Payload() event: E<typeof PropertyRegisteredV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'property-register',
      kind: 'property',
      reference: p.recordId,
      personId: p.personId,
      occurredOn: p.acquiredOn,
      data: {
        propertyKind: p.propertyKind,
        katottg: p.katottg,
        areaSquareDecimetres: p.areaSquareDecimetres,
        share: p.share,
        acquiredOn: p.acquiredOn,
        disposedOn: p.disposedOn,
        inListedTerritory: p.inListedTerritory ?? null,
        damage: p.damage ?? null,
      },
      eventId: event.eventId,
    });
  }

  /** A bank's report of a purchase of currency or bank metals (kind purchase; amount in kopiyky, the day of the operation). */
  @EventPattern(CurrencyPurchaseReportedV1.topic, GROUP)
  async onCurrencyPurchase(@Payload() event: E<typeof CurrencyPurchaseReportedV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'bank-operations',
      kind: 'purchase',
      reference: p.operationId,
      personId: p.personId,
      occurredOn: p.purchasedOn,
      data: {
        assetKind: p.assetKind,
        assetCode: p.assetCode,
        bankCode: p.bankCode,
        amountKopiyky: p.amountKopiyky,
        purchasedOn: p.purchasedOn,
        purpose: p.purpose ?? null,
        fundedByBudget: false,
      },
      eventId: event.eventId,
    });
  }

  /** A notarial deed of a purchase of real estate or land (kind purchase). */
  @EventPattern(RealEstatePurchaseRegisteredV1.topic, GROUP)
  async onRealEstatePurchase(@Payload() event: E<typeof RealEstatePurchaseRegisteredV1>): Promise<void> {
    const p = event.payload;
    await this.facts.upsert({
      source: 'notary',
      kind: 'purchase',
      reference: p.deedId,
      personId: p.personId,
      occurredOn: p.purchasedOn,
      data: {
        assetKind: p.assetKind,
        katottg: p.katottg,
        amountKopiyky: p.amountKopiyky,
        purchasedOn: p.purchasedOn,
        fundedByBudget: p.fundedByBudget,
        purpose: null,
      },
      eventId: event.eventId,
    });
  }
}
