import type { PersonRecordRow } from './dci.repository';

export const REG_TYPE = 'ns:ua:RegistryType:Social';
export const RECEIVER_ID = 'social-register';

const trim = (v: string | null) => v?.trim() ?? null;

/** A register person as a DCI `SRPerson` record (identifiers, name, sex, dates, addresses with КАТОТТГ, statuses, household). */
export function toSrPerson(p: PersonRecordRow): Record<string, unknown> {
  const identifier = [
    ...(p.rnokpp ? [{ '@type': 'Identifier', identifier_type: 'RNOKPP', identifier_value: p.rnokpp }] : []),
    ...(p.unzr ? [{ '@type': 'Identifier', identifier_type: 'UNZR', identifier_value: p.unzr }] : []),
    { '@type': 'Identifier', identifier_type: 'ID', identifier_value: p.id },
  ];
  return {
    '@type': 'SRPerson',
    '@id': `urn:eisss:social-register:person:${p.id}`,
    identifier,
    name: { '@type': 'Name', surname: p.last_name, given_name: p.first_name, second_name: p.patronymic ?? '' },
    sex: p.sex,
    birth_date: p.birth_date,
    death_date: p.death_date,
    address: { '@type': 'Address', address_line1: p.registered_address ?? '', admin_area_code: trim(p.katottg), country: 'UA' },
    actual_address: { '@type': 'Address', address_line1: p.actual_address ?? '', admin_area_code: trim(p.actual_katottg), country: 'UA' },
    phone_number: p.phone,
    email: p.email,
    registration_date: new Date(p.created_at).toISOString(),
    last_updated: new Date(p.updated_at).toISOString(),
    additional_attributes: {
      statuses: p.statuses ?? [],
      household: p.household,
    },
  };
}
