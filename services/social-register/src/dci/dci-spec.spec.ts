import { createHash } from 'node:crypto';
import { DciSpec } from './dci-spec';
import { DciErrorCode, DciHeaderReason, DciRequestReason } from './dci.errors';
import { DCI_SOCIAL_API_SHA256, DCI_SOCIAL_API_YAML } from './spec/social-api.spec-text';

describe(DciSpec.name, () => {
  const spec = DciSpec.get();
  const header = {
    version: '1.0.0',
    message_id: 'm-1',
    message_ts: '2026-11-23T10:00:00Z',
    action: 'search',
    sender_id: 'spmis',
    total_count: 1,
  };
  const message = {
    transaction_id: 't-1',
    search_request: [
      {
        reference_id: 'r-1',
        timestamp: '2026-11-23T10:00:00Z',
        search_criteria: { query_type: 'idtype-value', query: { type: 'RNOKPP', value: '1759013776' } },
      },
    ],
  };

  it('carries the standard verbatim when its digest matches', () => {
    expect(createHash('sha256').update(DCI_SOCIAL_API_YAML, 'utf8').digest('hex')).toBe(DCI_SOCIAL_API_SHA256);
  });

  it('accepts a sync search request with header and message when it follows the spec', () => {
    expect(spec.validateRequest('/registry/sync/search', { header, message })).toEqual([]);
  });

  it('rejects a request whose header lacks message_id or carries another action', () => {
    const { message_id: _m, ...noId } = header;
    expect(spec.validateRequest('/registry/sync/search', { header: noId, message }).map((e) => e.params)).toContainEqual({
      missingProperty: 'message_id',
    });
    expect(spec.validateRequest('/registry/sync/search', { header: { ...header, action: 'subscribe' }, message }).length).toBeGreaterThan(
      0,
    );
  });

  it('uses only codes the spec declares when the register answers', () => {
    expect(spec.enumOf('Error', 'code')).toEqual(expect.arrayContaining(Object.values(DciErrorCode)));
    expect(spec.enumOf('MsgHeaderStatusReasonCode')).toEqual(expect.arrayContaining(Object.values(DciHeaderReason)));
    const requestReasons = [
      ...spec.enumOf('SearchStatusReasonCode'),
      ...spec.enumOf('SubscribeStatusReasonCode'),
      ...spec.enumOf('UnSubscribeStatusReasonCode'),
    ];
    expect(requestReasons).toEqual(expect.arrayContaining(Object.values(DciRequestReason)));
  });

  it('validates the callbacks the register sends against their paths (paths./registry/txn/on-status: MsgCallbackHeader requires status)', () => {
    const header = {
      version: '1.0.0',
      message_id: 'm',
      message_ts: '2026-12-01T10:00:00Z',
      action: 'txn-on-status',
      status: 'rjct',
      status_reason_message: 'unknown',
      total_count: 1,
      sender_id: 'social-register',
    };
    expect(spec.validateCallback('/registry/txn/on-status', { header })).toEqual([]);
    const { status: _s, ...noStatus } = header;
    expect(spec.validateCallback('/registry/txn/on-status', { header: noStatus }).map((e) => e.params)).toContainEqual({
      missingProperty: 'status',
    });
    expect(spec.validateCallback('/registry/txn/on-status', { header: { ...header, action: 'on-search' } }).length).toBeGreaterThan(0);
    // /registry/notify: NotifyEventRequest.data.reg_event_type is an enum of REGISTER and NewHouseHoldMember
    const notify = (t: string) => ({
      header: { ...header, action: 'notify', status: 'succ' },
      message: {
        transaction_id: 't',
        notify_event: [
          {
            reference_id: 'r',
            timestamp: '2026-12-01T10:00:00Z',
            data: { reg_event_type: t, reg_record_type: 'SRPerson', reg_records: {} },
          },
        ],
      },
    });
    expect(spec.validateCallback('/registry/notify', notify('REGISTER'))).toEqual([]);
    expect(spec.validateCallback('/registry/notify', notify('UPDATE')).length).toBeGreaterThan(0);
  });
});
