import { StatusTypes } from '@eisss/contracts';
import { DomainError, isValidKatottg } from '@eisss/platform';
import { StatusErrorCode } from './status.errors';

export type StatusType = (typeof StatusTypes)[number];
export type StatusDetails = Record<string, string | number | boolean | null>;

const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** Checks the type-specific facts of a status; throws STATUS_DETAILS_INVALID naming the field. */
export function validateStatusDetails(type: StatusType, details: StatusDetails, validFrom: string): void {
  const fail = (field: string, message: string) => {
    throw DomainError.validation(StatusErrorCode.STATUS_DETAILS_INVALID, message, `details.${field}`);
  };
  for (const [k, v] of Object.entries(details)) {
    if (v !== null && typeof v === 'object') fail(k, `${k} must be a string, number, boolean or null`);
  }
  switch (type) {
    case 'idp': {
      if (typeof details.certificateNumber !== 'string' || details.certificateNumber.trim() === '')
        fail('certificateNumber', 'an IDP status needs the certificate number');
      if (typeof details.certificateDate !== 'string' || !DATE.test(details.certificateDate))
        fail('certificateDate', 'an IDP status needs the certificate date (YYYY-MM-DD)');
      if ((details.certificateDate as string) > validFrom)
        fail('certificateDate', 'the status cannot start before its certificate was issued');
      if (!isValidKatottg(details.originKatottg)) fail('originKatottg', 'an IDP status needs the КАТОТТГ of the region of origin');
      break;
    }
    case 'disability': {
      if (!['I', 'II', 'III'].includes(String(details.group))) fail('group', 'a disability status needs the group I, II or III');
      break;
    }
    default:
      break;
  }
}
