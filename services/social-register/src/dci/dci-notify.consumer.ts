import {
  HouseholdChangedV1,
  PersonDiedV1,
  PersonMergedV1,
  PersonRegisteredV1,
  PersonUpdatedV1,
  Role,
  type EventEnvelope,
  type PayloadOf,
} from '@eisss/contracts';
import { AuditLog, canAccessTerritory, Clock, inboxGroup, PlatformMetrics } from '@eisss/platform';
import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import { matches, type NotifyFacts } from './dci-query';
import { RECEIVER_ID, REG_TYPE, toSrPerson, type AllowedAttributes } from './dci-records';
import { allowedAttributes } from './dci-purpose';
import { DciClientRepository } from './dci-clients.repository';
import { defaultCallbackUrl } from './dci-callback-target';
import { DciRepository, type PersonRecordRow, type SubscriptionRow } from './dci.repository';
import type { NotifyEventType } from './dci-events';

type HouseholdPayload = PayloadOf<typeof HouseholdChangedV1>;

const GROUP = inboxGroup('social-register.dci-notify');

/**
 * Notifies DCI subscribers of register events (the register's own events, consumed after commit), as
 * the DCI registry event types of dci-events.ts:
 * - person registered → REGISTER, updated → UPDATE, died → DEATH (SRPerson of the person now);
 * - person merged → DELETE of the merged-away record (it leaves the register: searches no longer
 *   find it; the SRPerson names its survivor in additional_attributes `merged_into`);
 * - household created or member joined → LINK (and the spec's NewHouseHoldMember), member left →
 *   UNLINK (an SRGroup of the household: identifiers and roles of its members, size, КАТОТТГ).
 * A subscription's filter is matched (dci-query.ts `matches`) against the facts of the subject: the
 * person (identifiers, names, sex, birth/death date and age, КАТОТТГ of both addresses, statuses in
 * force, size of its household); for LINK/UNLINK the member who joined or left, with the household's
 * КАТОТТГ and size (one notification per event if any of them matches).
 * A record carries only the attributes the subscription's purpose allows (dci-purpose.ts; the
 * client's purposes as they are at notification time): a purpose the client no longer has sends
 * nothing (dci_notification outcome `skipped_purpose`).
 * Each (event, subscription) is queued once, in the inbox transaction, in the callback outbox
 * (dci_callback) for the subscriber's notify URI (registered notifyUri, else <callbackUri>/registry/notify);
 * the DciCallbackWorker posts it later, so a slow or dead callback never holds this consumer. A client
 * no longer registered or active gets nothing.
 * Every notified record counts against the client's daily record quota (as search results do), in the
 * same transaction: a notification beyond it is not sent, its dci_notification row says
 * `skipped_quota`, and dci_notifications_skipped_total{reason="daily_quota"} counts it.
 */
@Controller()
export class DciNotifyConsumer {
  private readonly logger = new Logger('DciNotifyConsumer');
  private readonly skipped: Counter<'reason'>;

  constructor(
    private readonly repo: DciRepository,
    private readonly clients: DciClientRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    metrics: PlatformMetrics,
  ) {
    this.skipped =
      (metrics.registry.getSingleMetric('dci_notifications_skipped_total') as Counter<'reason'> | undefined) ??
      new Counter({
        name: 'dci_notifications_skipped_total',
        help: 'DCI notifications not sent, by reason (daily_quota, purpose)',
        labelNames: ['reason'],
        registers: [metrics.registry],
      });
  }

  @EventPattern(PersonRegisteredV1.topic, GROUP)
  onRegistered(@Payload() e: EventEnvelope<PayloadOf<typeof PersonRegisteredV1>>) {
    return this.notifyPerson(e.eventId, ['REGISTER'], e.payload.personId);
  }

  @EventPattern(PersonUpdatedV1.topic, GROUP)
  onUpdated(@Payload() e: EventEnvelope<PayloadOf<typeof PersonUpdatedV1>>) {
    return this.notifyPerson(e.eventId, ['UPDATE'], e.payload.personId);
  }

  @EventPattern(PersonDiedV1.topic, GROUP)
  onDied(@Payload() e: EventEnvelope<PayloadOf<typeof PersonDiedV1>>) {
    return this.notifyPerson(e.eventId, ['DEATH'], e.payload.personId);
  }

  @EventPattern(PersonMergedV1.topic, GROUP)
  onMerged(@Payload() e: EventEnvelope<PayloadOf<typeof PersonMergedV1>>) {
    const survivor = `urn:eisss:social-register:person:${e.payload.survivorPersonId}`;
    return this.notifyPerson(e.eventId, ['DELETE'], e.payload.mergedPersonId, (record) => ({
      ...record,
      additional_attributes: [
        ...((record.additional_attributes as unknown[] | undefined) ?? []),
        { merged_into: survivor },
        { merged_at: e.payload.mergedAt },
      ],
    }));
  }

  @EventPattern(HouseholdChangedV1.topic, GROUP)
  async onHousehold(@Payload() e: EventEnvelope<PayloadOf<typeof HouseholdChangedV1>>) {
    const p = e.payload;
    const types: NotifyEventType[] =
      p.change === 'member-left'
        ? ['UNLINK']
        : p.change === 'member-joined' || p.change === 'created'
          ? ['LINK', 'NewHouseHoldMember']
          : [];
    if (types.length === 0) return;
    const subs = (await Promise.all(types.map((t) => this.repo.activeSubscriptions(t)))).flat();
    if (subs.length === 0) return;
    const changed =
      p.change === 'created' ? p.members.filter((m) => m.leftOn === null).map((m) => m.personId) : p.personId ? [p.personId] : [];
    const groupSize = p.members.filter((m) => m.leftOn === null).length;
    const facts: NotifyFacts[] = [];
    for (const personId of changed) {
      const person = await this.repo.personRecord(personId);
      if (person)
        facts.push({ ...(await this.personFacts(person)), katottg: [p.katottg, ...this.katottgOf(person)], group_size: groupSize });
      else facts.push({ id: personId, katottg: [p.katottg], group_size: groupSize });
    }
    if (facts.length === 0) facts.push({ id: p.householdId, katottg: [p.katottg], group_size: groupSize });
    const record = householdRecord(p, groupSize, changed, types[0] === 'UNLINK' ? 'unlinked_member_ids' : 'linked_member_ids');
    for (const s of subs) {
      if (
        !canAccessTerritory({ id: s.senderId, roles: [], territory: s.territory }, p.katottg) ||
        !facts.some((f) => matches(s.filter.conditions, f))
      )
        continue;
      await this.deliver(e.eventId, s, 'SRGroup', () => record, [], 1);
    }
  }

  private katottgOf(person: PersonRecordRow): string[] {
    return [person.katottg, person.actual_katottg].filter((k): k is string => !!k).map((k) => k.trim());
  }

  /** What a subscription filter can ask of a person (see NotifyFacts). */
  private async personFacts(person: PersonRecordRow): Promise<NotifyFacts> {
    const today = this.clock.today();
    const household = person.household ? await this.repo.householdMembers(person.household.household_id) : null;
    return {
      id: person.id,
      katottg: this.katottgOf(person),
      sex: person.sex,
      birth_date: person.birth_date,
      death_date: person.death_date,
      rnokpp: person.rnokpp,
      unzr: person.unzr,
      last_name: person.last_name,
      given_name: person.first_name,
      registration_date: new Date(person.created_at).toISOString(),
      statuses: (person.statuses ?? [])
        .filter((s) => s.valid_from <= today && (s.valid_to === null || s.valid_to >= today))
        .map((s) => s.type),
      ...(household ? { group_size: household.members.filter((m) => m.left_on === null).length } : {}),
      on: today,
    };
  }

  private async notifyPerson(
    eventId: string,
    types: NotifyEventType[],
    personId: string,
    shape: (record: Record<string, unknown>) => Record<string, unknown> = (r) => r,
  ): Promise<void> {
    const subs = (await Promise.all(types.map((t) => this.repo.activeSubscriptions(t)))).flat();
    if (subs.length === 0) return;
    const person = await this.repo.personRecord(personId);
    if (!person) return;
    const facts = await this.personFacts(person);
    for (const s of subs) {
      if (
        !facts.katottg.some((k) => canAccessTerritory({ id: s.senderId, roles: [], territory: s.territory }, k)) ||
        !matches(s.filter.conditions, facts)
      )
        continue;
      await this.deliver(eventId, s, 'SRPerson', (allowed) => shape(toSrPerson(person, allowed)), [person.id], 1);
    }
  }

  /** Queues one notification carrying `records` record(s), if the client's daily quota still has room for them. */
  private async deliver(
    eventId: string,
    s: SubscriptionRow,
    recordType: string,
    recordFor: (allowed: AllowedAttributes) => unknown,
    personIds: string[],
    records: number,
  ): Promise<void> {
    const client = await this.clients.bySender(s.senderId);
    if (!client || !client.active) return;
    if (!(await this.repo.claimNotification(eventId, s.code))) return;
    const purpose = (s.filter as { purpose?: string }).purpose;
    let allowed: AllowedAttributes;
    try {
      allowed = allowedAttributes(client.purposeAttributes, purpose ? { authorize: { purpose: { code: purpose } } } : {});
    } catch {
      await this.repo.recordNotification(eventId, s.code, 'skipped_purpose', null);
      this.skipped.inc({ reason: 'purpose' });
      return;
    }
    const record = recordFor(allowed);
    const granted = await this.clients.reserveRecordsIn(client.senderId, records, client.maxRecordsPerDay, this.clock.now());
    if (granted < records) {
      if (granted > 0) await this.clients.releaseRecords(client.senderId, granted, this.clock.now());
      await this.repo.recordNotification(eventId, s.code, 'skipped_quota', null);
      this.skipped.inc({ reason: 'daily_quota' });
      // Sender, subscription and event only: no personal data.
      this.logger.warn(
        `DCI notify ${s.code} of event ${eventId} to ${s.senderId} skipped: the daily quota of ${client.maxRecordsPerDay} records is used up`,
      );
      return;
    }
    const now = this.clock.now().toISOString();
    const body = {
      // MsgCallbackHeader_V1.0.0 (the /registry/notify request header): status is required.
      header: {
        version: '1.0.0',
        message_id: randomUUID(),
        message_ts: now,
        action: 'notify',
        status: 'succ',
        total_count: 1,
        completed_count: 1,
        sender_id: RECEIVER_ID,
        receiver_id: s.senderId,
        is_msg_encrypted: false,
      },
      message: {
        transaction_id: s.transactionId,
        notify_event: [
          {
            reference_id: s.referenceId,
            timestamp: now,
            data: {
              version: '1.0.0',
              reg_type: REG_TYPE,
              reg_event_type: s.regEventType,
              reg_record_type: recordType,
              reg_records: record,
            },
            locale: 'ukr',
          },
        ],
      },
    };
    await this.audit.recordRead(
      { id: s.senderId, roles: [Role.System], territory: s.territory },
      'person',
      personIds,
      `DCI notify ${s.code}`,
    );
    await this.clients.enqueueCallback({
      id: randomUUID(),
      senderId: s.senderId,
      endpoint: 'notify',
      url: defaultCallbackUrl(client, 'notify'),
      urlGiven: false,
      body,
      eventId,
      subscriptionCode: s.code,
    });
  }
}

/**
 * A household as an SRGroup (the spec's Group record: group_identifier, group_type, group_size,
 * address with the КАТОТТГ, group_head_info, member_list of Member with member_identifier) from the
 * event alone — the register's identifiers and roles of the members, no other personal data — with
 * the members who joined or left in additional_attributes.
 */
function householdRecord(p: HouseholdPayload, groupSize: number, changed: string[], changedKey: string): Record<string, unknown> {
  const ident = (id: string) => [{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: id }];
  const member = (m: HouseholdPayload['members'][number]) => ({
    '@type': 'Member',
    '@id': `urn:eisss:social-register:person:${m.personId}`,
    member_identifier: ident(m.personId),
    additional_attributes: [{ role: m.role }, { joined_on: m.joinedOn }, ...(m.leftOn ? [{ left_on: m.leftOn }] : [])],
  });
  const head = p.members.find((m) => m.role === 'head' && m.leftOn === null);
  return {
    '@type': 'Group',
    '@id': `urn:eisss:social-register:household:${p.householdId}`,
    group_identifier: ident(p.householdId),
    group_type: 'household',
    group_size: groupSize,
    address: { '@type': 'Address', admin_area_code: p.katottg, country: 'UA' },
    group_head_info: head ? member(head) : null,
    member_list: p.members.map(member),
    additional_attributes: [{ [changedKey]: changed }, { change: p.change }, { version: p.version }],
    last_updated: p.changedAt,
  };
}
