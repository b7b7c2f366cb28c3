import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { ServiceSessionDto } from './service-session.dto';

export interface NewServiceSession {
  id: string;
  personId: string;
  officerId: string;
  officerRoles: string[];
  officeTerritory: string;
  homeKatottg: string | null;
  purpose: string;
  reference: { type: string; id: string } | null;
  identifiedBy: 'document' | 'diia-consent';
  evidence: string;
  expiresInMinutes: number;
}

const COLUMNS = `id, person_id, officer_id, office_territory, home_katottg, purpose, reference_type, reference_id, identified_by, evidence,
  opened_at, expires_at, closed_at, (closed_at IS NULL AND expires_at > now()) AS active`;

/** A row of social_register.service_session selected with COLUMNS. */
interface ServiceSessionDbRow {
  id: string;
  person_id: string;
  officer_id: string;
  office_territory: string;
  home_katottg: string | null;
  purpose: string;
  reference_type: string | null;
  reference_id: string | null;
  identified_by: 'document' | 'diia-consent';
  evidence: string;
  opened_at: Date;
  expires_at: Date;
  closed_at: Date | null;
  active: boolean;
}

function toDto(r: ServiceSessionDbRow): ServiceSessionDto {
  return {
    id: r.id,
    personId: r.person_id,
    officerId: r.officer_id,
    officeTerritory: r.office_territory,
    homeKatottg: r.home_katottg,
    purpose: r.purpose,
    reference: r.reference_type ? { type: r.reference_type, id: r.reference_id! } : null,
    identifiedBy: r.identified_by,
    evidence: r.evidence,
    openedAt: new Date(r.opened_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    active: r.active,
  };
}

@Injectable()
export class ServiceSessionRepository {
  constructor(private readonly db: TransactionHost) {}

  async insert(s: NewServiceSession): Promise<ServiceSessionDto> {
    const [row] = await this.db.query<ServiceSessionDbRow>(
      `INSERT INTO social_register.service_session (id, person_id, officer_id, officer_roles, office_territory, home_katottg, purpose, reference_type, reference_id, identified_by, evidence, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now() + make_interval(mins => $12)) RETURNING ${COLUMNS}`,
      [
        s.id,
        s.personId,
        s.officerId,
        s.officerRoles,
        s.officeTerritory,
        s.homeKatottg,
        s.purpose,
        s.reference?.type ?? null,
        s.reference?.id ?? null,
        s.identifiedBy,
        s.evidence,
        s.expiresInMinutes,
      ],
    );
    return toDto(row);
  }

  async find(id: string, lock = false): Promise<ServiceSessionDto | null> {
    const [row] = await this.db.query<ServiceSessionDbRow>(
      `SELECT ${COLUMNS} FROM social_register.service_session WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row ? toDto(row) : null;
  }

  async close(id: string): Promise<ServiceSessionDto> {
    const [row] = await this.db.query<ServiceSessionDbRow>(
      `UPDATE social_register.service_session SET closed_at = now() WHERE id = $1 AND closed_at IS NULL RETURNING ${COLUMNS}`,
      [id],
    );
    return toDto(row);
  }

  async setReference(id: string, reference: { type: string; id: string }): Promise<ServiceSessionDto> {
    const [row] = await this.db.query<ServiceSessionDbRow>(
      `UPDATE social_register.service_session SET reference_type = $2, reference_id = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, reference.type, reference.id],
    );
    return toDto(row);
  }

  async ofPerson(personId: string, page: PageRequest): Promise<{ items: ServiceSessionDto[]; total: number | null }> {
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM social_register.service_session WHERE person_id = $1`, [
      personId,
    ]);
    const rows = await this.db.query<ServiceSessionDbRow>(
      `SELECT ${COLUMNS} FROM social_register.service_session WHERE person_id = $1 ORDER BY opened_at DESC, id LIMIT $2 OFFSET $3`,
      [personId, page.limit, page.offset],
    );
    return { items: rows.map(toDto), total };
  }
}
