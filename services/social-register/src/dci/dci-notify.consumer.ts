import { HouseholdChangedV1, PersonDiedV1, PersonRegisteredV1, PersonUpdatedV1, Role, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { AuditLog, EventConsumer, OnEvent, PlatformMetrics, canAccessTerritory } from '@eisss/platform';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { matches, type NotifyFacts } from './dci-query';
import { RECEIVER_ID, REG_TYPE, toSrPerson } from './dci-records';
import { DciClientRepository } from './dci-clients.repository';
import { callbackUrl } from './dci.callback';
import { DciRepository, type SubscriptionRow } from './dci.repository';
import type { NotifyEventType } from './dci.service';

/**
 * Notifies DCI subscribers of register events (the register's own events, consumed after commit):
 * person registered → REGISTER, updated → UPDATE, died → DEATH, household member joined → NewHouseHoldMember.
 * Each (event, subscription) is queued once, in the inbox transaction, in the callback outbox
 * (dci_callback) for the client's registered callback; the DciCallbackWorker posts it later, so a
 * slow or dead callback never holds this consumer. A client no longer registered or active gets nothing.
 * Every notified record counts against the client's daily record quota (as search results do), in the
 * same transaction: a notification beyond it is not sent, its dci_notification row says
 * `skipped_quota`, and dci_notifications_skipped_total{reason="daily_quota"} counts it.
 */
@Injectable()
@EventConsumer('social-register.dci-notify')
export class DciNotifyConsumer {
  private readonly logger = new Logger('DciNotifyConsumer');
  private readonly skipped: Counter<'reason'>;

  constructor(
    private readonly repo: DciRepository,
    private readonly clients: DciClientRepository,
    private readonly audit: AuditLog,
    metrics: PlatformMetrics,
  ) {
    this.skipped =
      (metrics.registry.getSingleMetric('dci_notifications_skipped_total') as Counter<'reason'> | undefined) ??
      new Counter({ name: 'dci_notifications_skipped_total', help: 'DCI notifications not sent, by reason (daily_quota)', labelNames: ['reason'], registers: [metrics.registry] });
  }

  @OnEvent(PersonRegisteredV1)
  onRegistered(e: EventEnvelope<PayloadOf<typeof PersonRegisteredV1>>, tx: EntityManager) {
    return this.notifyPerson(tx, e.eventId, 'REGISTER', e.payload.personId);
  }

  @OnEvent(PersonUpdatedV1)
  onUpdated(e: EventEnvelope<PayloadOf<typeof PersonUpdatedV1>>, tx: EntityManager) {
    return this.notifyPerson(tx, e.eventId, 'UPDATE', e.payload.personId);
  }

  @OnEvent(PersonDiedV1)
  onDied(e: EventEnvelope<PayloadOf<typeof PersonDiedV1>>, tx: EntityManager) {
    return this.notifyPerson(tx, e.eventId, 'DEATH', e.payload.personId);
  }

  @OnEvent(HouseholdChangedV1)
  async onHousehold(e: EventEnvelope<PayloadOf<typeof HouseholdChangedV1>>, tx: EntityManager) {
    const p = e.payload;
    if (p.change !== 'member-joined' && p.change !== 'created') return;
    const subs = await this.repo.activeSubscriptions(tx, 'NewHouseHoldMember');
    if (subs.length === 0) return;
    const joined = p.change === 'created' ? p.members.map((m) => m.personId) : [p.personId!];
    const head = p.members.find((m) => m.role === 'head' && m.leftOn === null);
    const facts: NotifyFacts = { id: p.householdId, katottg: [p.katottg] };
    const record = {
      '@type': 'Group',
      '@id': `urn:eisss:social-register:household:${p.householdId}`,
      group_identifier: [{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: p.householdId }],
      group_type: 'household',
      group_head_info: head ? { '@type': 'Member', member_identifier: [{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: head.personId }] } : null,
      group_size: p.members.filter((m) => m.leftOn === null).length,
      member_list: p.members.map((m) => ({ '@type': 'Member', member_identifier: [{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: m.personId }], relationship_head: m.role, joined_on: m.joinedOn, left_on: m.leftOn })),
      additional_attributes: { admin_area_code: p.katottg, new_member_ids: joined, version: p.version },
      last_updated: p.changedAt,
    };
    for (const s of subs) {
      if (!canAccessTerritory({ id: s.senderId, roles: [], territory: s.territory }, p.katottg) || !matches(s.filter.conditions, facts)) continue;
      await this.deliver(tx, e.eventId, s, 'Group', record, [], 1);
    }
  }

  private async notifyPerson(tx: EntityManager, eventId: string, type: NotifyEventType, personId: string): Promise<void> {
    const subs = await this.repo.activeSubscriptions(tx, type);
    if (subs.length === 0) return;
    const person = await this.repo.personRecord(tx, personId);
    if (!person) return;
    const katottg = [person.katottg, person.actual_katottg].filter((k): k is string => !!k).map((k) => k.trim());
    const facts: NotifyFacts = { id: person.id, katottg, sex: person.sex, birth_date: person.birth_date };
    for (const s of subs) {
      if (!katottg.some((k) => canAccessTerritory({ id: s.senderId, roles: [], territory: s.territory }, k)) || !matches(s.filter.conditions, facts)) continue;
      await this.deliver(tx, eventId, s, 'SRPerson', toSrPerson(person), [person.id], 1);
    }
  }

  /** Queues one notification carrying `records` record(s), if the client's daily quota still has room for them. */
  private async deliver(tx: EntityManager, eventId: string, s: SubscriptionRow, recordType: string, record: unknown, personIds: string[], records: number): Promise<void> {
    const client = await this.clients.bySender(s.senderId, tx);
    if (!client || !client.active) return;
    if (!(await this.repo.claimNotification(tx, eventId, s.code))) return;
    const granted = await this.clients.reserveRecordsIn(tx, client.senderId, records, client.maxRecordsPerDay);
    if (granted < records) {
      if (granted > 0) await this.clients.releaseRecordsIn(tx, client.senderId, granted);
      await this.repo.recordNotification(tx, eventId, s.code, 'skipped_quota', null);
      this.skipped.inc({ reason: 'daily_quota' });
      // Sender, subscription and event only: no personal data.
      this.logger.warn(`DCI notify ${s.code} of event ${eventId} to ${s.senderId} skipped: the daily quota of ${client.maxRecordsPerDay} records is used up`);
      return;
    }
    const now = new Date().toISOString();
    const body = {
      header: { version: '1.0.0', message_id: randomUUID(), message_ts: now, action: 'notify', sender_id: RECEIVER_ID, receiver_id: s.senderId, total_count: 1, is_msg_encrypted: false },
      message: {
        transaction_id: s.transactionId,
        notify_event: [{ reference_id: s.referenceId, timestamp: now, data: { version: '1.0.0', reg_type: REG_TYPE, reg_event_type: s.regEventType, reg_record_type: recordType, reg_records: record }, locale: 'ukr' }],
      },
    };
    await this.audit.recordRead(tx, { id: s.senderId, roles: [Role.System], territory: s.territory }, 'person', personIds, `DCI notify ${s.code}`);
    await this.clients.enqueueCallback(tx, { id: randomUUID(), senderId: s.senderId, endpoint: 'notify', url: callbackUrl(client.callbackUri, 'notify'), body, eventId, subscriptionCode: s.code });
  }
}
