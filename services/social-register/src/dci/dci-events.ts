/**
 * The registry event types a DCI client may subscribe to (SubscribeRequest.subscribe_criteria.reg_event_type:
 * "Registry event type values defined as per implementation context") and the register's events
 * behind them (dci-notify.consumer.ts):
 * - REGISTER — a person was entered (person.registered);
 * - UPDATE — a person's data changed (person.updated);
 * - DEATH — a person's death was recorded (person.died);
 * - DELETE — a record left the register: the merged-away record of a merge of duplicates (person.merged);
 * - LINK / UNLINK — household membership: a household was created or a member joined (LINK), a member
 *   left (UNLINK) (household.changed member-joined | created | member-left);
 * - NewHouseHoldMember — the spec's own name (NotifyEventRequest.data.reg_event_type enum: REGISTER,
 *   NewHouseHoldMember), the same events as LINK.
 * A notification carries the subscribed type in data.reg_event_type. The spec's notify enum lists only
 * REGISTER and NewHouseHoldMember: notifications of UPDATE, DELETE, LINK, UNLINK and DEATH carry a
 * value outside that enum (the one deviation from NotifyEventRequest, by the choice of types).
 */
export const NOTIFY_EVENT_TYPES = ['REGISTER', 'UPDATE', 'DELETE', 'LINK', 'UNLINK', 'DEATH', 'NewHouseHoldMember'] as const;
export type NotifyEventType = (typeof NOTIFY_EVENT_TYPES)[number];

/** The event types named by the spec's NotifyEventRequest enum. */
export const SPEC_NOTIFY_EVENT_TYPES: readonly NotifyEventType[] = ['REGISTER', 'NewHouseHoldMember'];
