import { DciRejection, DciRequestReason } from './dci.errors';
import { expressionCollection } from './dci-query';
import { GROUP_SORTABLE_ATTRIBUTES, SORTABLE_ATTRIBUTES } from './dci.repository';

export type SearchEntity = 'person' | 'group';

interface Criteria {
  query_type: string;
  query: unknown;
  reg_record_type?: string;
  response_entity?: string;
  sort?: { attribute_name?: string; sort_order?: 'asc' | 'desc' }[];
}

const RECORD_TYPES: Record<string, SearchEntity> = {
  srperson: 'person',
  person: 'person',
  member: 'person',
  srgroup: 'group',
  group: 'group',
  household: 'group',
};

/**
 * What a search request returns: SRPerson records (response_entity Member, collection Person) or
 * SRGroup records of households (response_entity Group, collection Group, reg_record_type SRGroup).
 * Persons when nothing says otherwise; a request whose parts disagree is rejected.
 */
export function searchEntity(c: Criteria): SearchEntity {
  const said: { by: string; entity: SearchEntity }[] = [];
  if (c.response_entity !== undefined)
    said.push({ by: `response_entity ${c.response_entity}`, entity: c.response_entity === 'Group' ? 'group' : 'person' });
  if (c.reg_record_type !== undefined) {
    const e = RECORD_TYPES[c.reg_record_type.replace(/^.*:/, '').toLowerCase()];
    if (!e)
      throw new DciRejection(
        DciRequestReason.SEARCH_CRITERIA_INVALID,
        `reg_record_type ${c.reg_record_type} is not served (SRPerson, SRGroup)`,
      );
    said.push({ by: `reg_record_type ${c.reg_record_type}`, entity: e });
  }
  if (c.query_type === 'expression') {
    const e = expressionCollection(c.query);
    if (e) said.push({ by: 'expression collection', entity: e });
  }
  const entity = said[0]?.entity ?? 'person';
  const other = said.find((s) => s.entity !== entity);
  if (other)
    throw new DciRejection(
      DciRequestReason.SEARCH_CRITERIA_INVALID,
      `${said[0]!.by} and ${other.by} disagree (Member/Person/SRPerson or Group/SRGroup)`,
    );
  return entity;
}

/** The sort of a search (persons: SORTABLE_ATTRIBUTES; groups: GROUP_SORTABLE_ATTRIBUTES); rjct.sort.invalid otherwise. */
export function searchSort(entity: SearchEntity, sort: Criteria['sort']): { attr: string; order: 'asc' | 'desc' }[] {
  const allowed = entity === 'group' ? GROUP_SORTABLE_ATTRIBUTES : SORTABLE_ATTRIBUTES;
  return (sort ?? []).map((s) => {
    if (!s.attribute_name || !allowed.includes(s.attribute_name))
      throw new DciRejection(DciRequestReason.SORT_INVALID, `sort by ${s.attribute_name ?? '?'} is not supported (${allowed.join(', ')})`);
    return { attr: s.attribute_name, order: s.sort_order === 'desc' ? 'desc' : 'asc' };
  });
}
