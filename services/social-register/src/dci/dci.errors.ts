/** Transport-level error codes of the DCI `Error` object (returned in an ERR acknowledgement). */
export enum DciErrorCode {
  REQUEST_BAD = 'err.request.bad',
  REQUEST_UNAUTHORIZED = 'err.request.unauthorized',
  REQUEST_FORBIDDEN = 'err.request.forbidden',
  REQUEST_NOT_FOUND = 'err.request.not_found',
  REQUEST_TIMEOUT = 'err.request.timeout',
  REQUEST_TOO_MANY = 'err.request.too_many_requests',
  VERSION_NOT_SUPPORTED = 'err.version.not_supported',
  SENDER_ID_INVALID = 'err.sender_id.invalid',
  SENDER_URI_INVALID = 'err.sender_uri.invalid',
  RECEIVER_ID_INVALID = 'err.receiver_id.invalid',
  SIGNATURE_MISSING = 'err.signature.missing',
  SIGNATURE_INVALID = 'err.signature.invalid',
  ENCRYPTION_INVALID = 'err.encryption.invalid',
  SERVICE_UNAVAILABLE = 'err.service.unavailable',
}

/** Header-level rejection reasons (MsgHeaderStatusReasonCode). */
export enum DciHeaderReason {
  MESSAGE_ID_DUPLICATE = 'rjct.message_id.duplicate',
  MESSAGE_TS_INVALID = 'rjct.message_ts.invalid',
  ACTION_INVALID = 'rjct.action.invalid',
  TOTAL_COUNT_INVALID = 'rjct.total_count.invalid',
  TOTAL_COUNT_LIMIT_EXCEEDED = 'rjct.total_count.limit_exceeded',
}

/** Per-request rejection reasons (SearchStatusReasonCode / SubscribeStatusReasonCode / UnSubscribeStatusReasonCode). */
export enum DciRequestReason {
  REFERENCE_ID_DUPLICATE = 'rjct.reference_id.duplicate',
  TIMESTAMP_INVALID = 'rjct.timestamp.invalid',
  SEARCH_CRITERIA_INVALID = 'rjct.search_criteria.invalid',
  FILTER_INVALID = 'rjct.filter.invalid',
  SORT_INVALID = 'rjct.sort.invalid',
  PAGINATION_INVALID = 'rjct.pagination.invalid',
  TOO_MANY_RECORDS = 'rjct.search.too_many_records_found',
  NOTIFY_TYPES_INVALID = 'rjct.notify_types.invalid',
  NOTIFY_DETAILS_INVALID = 'rjct.notify_details.invalid',
  EVENT_ALREADY_SUBSCRIBED = 'rjct.event.already_subscribed',
  SUBSCRIPTION_CODE_INVALID = 'rjct.subscription_code.invalid',
  EVENT_ALREADY_UNSUBSCRIBED = 'rjct.event.already_unsubscribed',
}

/** A request the register refuses before processing: answered with an ERR acknowledgement. */
export class DciError extends Error {
  constructor(
    readonly code: DciErrorCode,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = 'DciError';
  }
}

/** A rejection of one request of a batch, reported in its response item. */
export class DciRejection extends Error {
  constructor(
    readonly reason: DciRequestReason,
    message: string,
  ) {
    super(message);
    this.name = 'DciRejection';
  }
}
