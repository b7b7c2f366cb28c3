import { TransactionHost, auditTable } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

/** A read of a person's data that another service reports. */
export interface ForeignRead {
  personId: string;
  actorId: string;
  actorRoles: string[];
  action: string;
  purpose: string | null;
  readAt: string;
  correlationId: string;
  sourceService: string;
}

/** SQL of the register's copy of other services' reads (rows of the register's own audit trail, the source service named). */
@Injectable()
export class AccessLogRepository {
  constructor(private readonly db: TransactionHost) {}

  async recordForeignRead(r: ForeignRead): Promise<void> {
    await this.db.query(
      `INSERT INTO ${auditTable('social_register')} (occurred_at, actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id, source_service)
       VALUES ($1, $2, $3, $4, 'person', $5, $6, $7, $8)`,
      [r.readAt, r.actorId, r.actorRoles, r.action, r.personId, r.purpose, r.correlationId, r.sourceService],
    );
  }
}
