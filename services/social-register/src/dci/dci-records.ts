import type { GroupRecordRow, PersonRecordRow } from './dci.repository';

export const REG_TYPE = 'ns:ua:RegistryType:Social';
export const RECEIVER_ID = 'social-register';

/**
 * Attributes of a record a client's purpose may allow (DciClientRow.purposeAttributes). Always
 * given, whatever the purpose: `@type`, `@id` and the register's own identifier (identifier_type ID)
 * in `identifier` / `member_identifier` / `group_identifier` — the spec keys every record by its
 * identifiers (SRPerson.identifier, Member.member_identifier, Group.group_identifier), and without
 * them an answer could not be told apart or asked about again — plus a household's `group_type` and
 * a member's role. `identifier` allows the national identifiers (РНОКПП, УНЗР) beside the register's id.
 * `member_list` allows a group's members (`member_list`, `group_head_info`), each member's
 * `demographic_info` limited by the same list; `address` is a person's registered and actual
 * address and a group's `place`/`address`.
 */
export const RECORD_ATTRIBUTES = [
  'identifier',
  'name',
  'sex',
  'birth_date',
  'death_date',
  'address',
  'phone_number',
  'email',
  'registration_date',
  'last_updated',
  'statuses',
  'household',
  'group_size',
  'member_list',
] as const;
export type RecordAttribute = (typeof RECORD_ATTRIBUTES)[number];

/** Which attributes go out: all (no purpose limit) or those listed. */
export type AllowedAttributes = ReadonlySet<string> | null;

const trim = (v: string | null) => v?.trim() ?? null;
const id = (type: string, value: string) => ({ '@type': 'Identifier', identifier_type: type, identifier_value: value });

/** The identifiers of a person: the register's id always, РНОКПП and УНЗР when `identifier` is allowed. */
function personIdentifiers(p: PersonRecordRow, allowed: AllowedAttributes) {
  const national = !allowed || allowed.has('identifier');
  return [...(national && p.rnokpp ? [id('RNOKPP', p.rnokpp)] : []), ...(national && p.unzr ? [id('UNZR', p.unzr)] : []), id('ID', p.id)];
}

function only(
  record: Record<string, unknown>,
  fields: Record<string, unknown>,
  allowed: AllowedAttributes,
  gate: (field: string) => string = (f) => f,
): Record<string, unknown> {
  for (const [field, value] of Object.entries(fields)) if (!allowed || allowed.has(gate(field))) record[field] = value;
  return record;
}

/**
 * A register person as a DCI `SRPerson` record (the spec's SearchResponse reg_records example:
 * identifier[] of Identifier, name as Name, sex, dates, address as Address with the КАТОТТГ in
 * admin_area_code, additional_attributes as a list of name/value objects), limited to the allowed attributes.
 */
export function toSrPerson(p: PersonRecordRow, allowed: AllowedAttributes = null): Record<string, unknown> {
  const record: Record<string, unknown> = {
    '@type': 'SRPerson',
    '@id': `urn:eisss:social-register:person:${p.id}`,
    identifier: personIdentifiers(p, allowed),
  };
  const additional = [
    ...(!allowed || allowed.has('statuses') ? [{ statuses: p.statuses ?? [] }] : []),
    ...(!allowed || allowed.has('household') ? [{ household: p.household }] : []),
  ];
  only(
    record,
    {
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
    },
    allowed,
    (f) => (f === 'actual_address' ? 'address' : f),
  );
  if (additional.length) record.additional_attributes = additional;
  return record;
}

/** A household member as a DCI `Member` (member_identifier, demographic_info as SRPerson, its role). */
function toMember(m: GroupRecordRow['members'][number], allowed: AllowedAttributes): Record<string, unknown> {
  return {
    '@type': 'Member',
    '@id': `urn:eisss:social-register:person:${m.person.id}`,
    member_identifier: personIdentifiers(m.person, allowed),
    demographic_info: toSrPerson(m.person, allowed),
    ...(!allowed || allowed.has('registration_date') ? { registration_date: m.joined_on } : {}),
    additional_attributes: [{ role: m.role }, { joined_on: m.joined_on }],
  };
}

/**
 * A household as a DCI `Group` (reg_record_type SRGroup; the spec's SearchResponse reg_records
 * example): group_identifier, group_type household, group_size (active members), place and address
 * (КАТОТТГ), group_head_info and member_list (active members, head first, each with its role).
 * The register keeps no poverty score: poverty_score is not given.
 */
export function toSrGroup(g: GroupRecordRow, allowed: AllowedAttributes = null): Record<string, unknown> {
  const head = g.members.find((m) => m.role === 'head');
  const record: Record<string, unknown> = {
    '@type': 'Group',
    '@id': `urn:eisss:social-register:household:${g.id}`,
    group_identifier: [id('ID', g.id)],
    group_type: 'household',
  };
  return only(
    record,
    {
      group_size: g.members.length,
      place: { '@type': 'Place', address: g.address ?? '' },
      address: { '@type': 'Address', address_line1: g.address ?? '', admin_area_code: g.katottg, country: 'UA' },
      group_head_info: head ? toMember(head, allowed) : null,
      member_list: g.members.map((m) => toMember(m, allowed)),
      registration_date: new Date(g.created_at).toISOString(),
      last_updated: new Date(g.updated_at).toISOString(),
    },
    allowed,
    (f) => (f === 'place' ? 'address' : f === 'group_head_info' ? 'member_list' : f),
  );
}
