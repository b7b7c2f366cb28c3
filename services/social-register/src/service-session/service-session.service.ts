import { Role } from '@eisss/contracts';
import { AuditLog, DomainError, Transactional, hasRole, type PageRequest, type Principal } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { assertCanSeePersonRecord } from '../common/access';
import { PersonRepository } from '../person/person.repository';
import type { OpenServiceSessionDto, ServiceSessionDto } from './service-session.dto';
import { ServiceSessionRepository } from './service-session.repository';

export enum ServiceSessionErrorCode {
  SERVICE_SESSION_NOT_FOUND = 'SERVICE_SESSION_NOT_FOUND',
  SERVICE_SESSION_INVALID = 'SERVICE_SESSION_INVALID',
  SERVICE_SESSION_NOT_YOURS = 'SERVICE_SESSION_NOT_YOURS',
  SERVICE_SESSION_CLOSED = 'SERVICE_SESSION_CLOSED',
  IDENTIFICATION_INCOMPLETE = 'IDENTIFICATION_INCOMPLETE',
  PERSON_NOT_IDENTIFIED = 'PERSON_NOT_IDENTIFIED',
}

/** Who may serve a person who is present, in any office: the front-office staff. */
export const SERVING_ROLES: Role[] = [Role.Officer, Role.Registrar, Role.Supervisor, Role.CaseWorker, Role.CaseManager];

/**
 * Service sessions («єдине вікно», the Strategy's «незалежно від зареєстрованого місця проживання»):
 * territory scoping stays for browsing, lists and search; an officer serving a person who is present
 * (РНОКПП and a document they checked, or the person's consent in Diia) opens an audited session on
 * that person, and within it reads and acts on that person's records for the purpose, until it
 * expires or is closed. The person's "who looked at my data" shows the session and every read in it;
 * the home office sees the sessions of other offices on its person (GET /persons/:id/service-sessions).
 */
@Injectable()
export class ServiceSessionService {
  constructor(
    private readonly sessions: ServiceSessionRepository,
    private readonly persons: PersonRepository,
    private readonly audit: AuditLog,
  ) {}

  @Transactional()
  async open(principal: Principal, dto: OpenServiceSessionDto): Promise<ServiceSessionDto> {
    const id = dto.identification;
    let evidence: string;
    if (id.method === 'document') {
      if (!id.documentType)
        throw DomainError.validation(
          ServiceSessionErrorCode.IDENTIFICATION_INCOMPLETE,
          'identification by document needs documentType',
          'identification.documentType',
        );
      if (!id.documentNumber)
        throw DomainError.validation(
          ServiceSessionErrorCode.IDENTIFICATION_INCOMPLETE,
          'identification by document needs documentNumber',
          'identification.documentNumber',
        );
      // Only the type and the last three characters are kept: enough to find the document, not to copy it.
      evidence = `${id.documentType} …${id.documentNumber.replace(/[ -]/g, '').slice(-3)}`;
    } else {
      if (!id.consentId)
        throw DomainError.validation(
          ServiceSessionErrorCode.IDENTIFICATION_INCOMPLETE,
          'identification by Diia consent needs consentId',
          'identification.consentId',
        );
      evidence = `diia consent ${id.consentId}`;
    }
    const person = await this.persons.findByIdentifiers(id.rnokpp, null);
    // The same answer whether the РНОКПП is unknown or merged away: no probing of the register.
    if (!person || person.mergedInto)
      throw DomainError.notFound(
        ServiceSessionErrorCode.PERSON_NOT_IDENTIFIED,
        'no person with this РНОКПП in the register',
        'identification.rnokpp',
      );
    const session = await this.sessions.insert({
      id: randomUUID(),
      personId: person.id,
      officerId: principal.id,
      officerRoles: principal.roles,
      officeTerritory: principal.territory,
      homeKatottg: person.katottg,
      purpose: dto.purpose,
      reference: dto.reference ?? null,
      identifiedBy: id.method,
      evidence,
      expiresInMinutes: dto.expiresInMinutes ?? 240,
    });
    await this.audit.recordAction(
      principal,
      'service-session.opened',
      'person',
      [person.id],
      `service session ${session.id}: ${dto.purpose} at office ${principal.territory} (${evidence})`,
    );
    return session;
  }

  @Transactional()
  async close(principal: Principal, sessionId: string): Promise<ServiceSessionDto> {
    const s = await this.own(principal, sessionId);
    if (s.closedAt)
      throw DomainError.conflict(ServiceSessionErrorCode.SERVICE_SESSION_CLOSED, `service session ${sessionId} is already closed`);
    const closed = await this.sessions.close(sessionId);
    await this.audit.recordAction(principal, 'service-session.closed', 'person', [s.personId], `service session ${sessionId}`);
    return closed;
  }

  @Transactional()
  async setReference(principal: Principal, sessionId: string, reference: { type: string; id: string }): Promise<ServiceSessionDto> {
    const s = await this.own(principal, sessionId);
    if (!s.active)
      throw DomainError.conflict(ServiceSessionErrorCode.SERVICE_SESSION_CLOSED, `service session ${sessionId} is closed or expired`);
    const updated = await this.sessions.setReference(sessionId, reference);
    await this.audit.recordAction(
      principal,
      'service-session.reference',
      'person',
      [s.personId],
      `service session ${sessionId}: ${reference.type} ${reference.id}`,
    );
    return updated;
  }

  async get(principal: Principal, sessionId: string): Promise<ServiceSessionDto> {
    const s = await this.sessions.find(sessionId);
    if (!s) throw DomainError.notFound(ServiceSessionErrorCode.SERVICE_SESSION_NOT_FOUND, `service session ${sessionId} not found`);
    if (s.officerId !== principal.id) await this.assertHomeOffice(principal, s.personId);
    await this.audit.recordRead(principal, 'person', [s.personId], `service session ${s.id}`);
    return s;
  }

  /** The sessions on a person: for the person and for staff who see the person by territory (the home office), not through a session. */
  async ofPerson(principal: Principal, personId: string, page: PageRequest) {
    await this.assertHomeOffice(principal, personId);
    const found = await this.sessions.ofPerson(personId, page);
    await this.audit.recordRead(principal, 'person', [personId], 'service sessions');
    return found;
  }

  /** The session of the `x-service-session` header, when it is the principal's own, open and not expired. */
  async grantFor(principal: Principal, sessionId: string) {
    const s = await this.sessions.find(sessionId);
    if (!s || s.officerId !== principal.id || !hasRole(principal, ...SERVING_ROLES)) {
      throw DomainError.forbidden(ServiceSessionErrorCode.SERVICE_SESSION_INVALID, 'the service session is not one of yours');
    }
    if (!s.active) throw DomainError.forbidden(ServiceSessionErrorCode.SERVICE_SESSION_INVALID, 'the service session is closed or expired');
    return { id: s.id, personId: s.personId, purpose: s.purpose, officeTerritory: s.officeTerritory, expiresAt: s.expiresAt };
  }

  private async own(principal: Principal, sessionId: string): Promise<ServiceSessionDto> {
    const s = await this.sessions.find(sessionId, true);
    if (!s) throw DomainError.notFound(ServiceSessionErrorCode.SERVICE_SESSION_NOT_FOUND, `service session ${sessionId} not found`);
    if (s.officerId !== principal.id)
      throw DomainError.forbidden(
        ServiceSessionErrorCode.SERVICE_SESSION_NOT_YOURS,
        'only the officer who opened a service session may change it',
      );
    return s;
  }

  private async assertHomeOffice(principal: Principal, personId: string): Promise<void> {
    const person = await this.persons.findById(personId);
    if (!person) throw DomainError.notFound('PERSON_NOT_FOUND', `person ${personId} not found`);
    const { serviceSession: _ignored, ...withoutSession } = principal;
    assertCanSeePersonRecord(withoutSession, person.id, [person.katottg, person.actualKatottg]);
  }
}
