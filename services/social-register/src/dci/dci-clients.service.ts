import {
  AuditLog,
  DomainError,
  PLATFORM_CONFIG,
  Transactional,
  isUniqueViolation,
  type PageRequest,
  type Principal,
} from '@eisss/platform';

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { SocialRegisterConfig } from '../config/config';
import { assertDestination, DestinationRefused, isNonPublicAddress } from './dci-address';
import { DCI_QUERY_TYPES, DciClientRepository, type DciAction, type DciClientRow, type DciClientWrite } from './dci-clients.repository';
import { algorithmOf, parsePublicKey, thumbprintOf } from './dci-signature';
import { normaliseBaseUri } from './dci.callback';
import { normaliseCallbackUrl } from './dci-callback-target';

export enum DciClientErrorCode {
  DCI_CLIENT_NOT_FOUND = 'DCI_CLIENT_NOT_FOUND',
  DCI_CLIENT_SENDER_TAKEN = 'DCI_CLIENT_SENDER_TAKEN',
  DCI_CLIENT_CALLBACK_INVALID = 'DCI_CLIENT_CALLBACK_INVALID',
  DCI_CLIENT_CALLBACK_PRIVATE = 'DCI_CLIENT_CALLBACK_PRIVATE',
  DCI_CLIENT_KEY_INVALID = 'DCI_CLIENT_KEY_INVALID',
  DCI_CLIENT_KEY_ID_REQUIRED = 'DCI_CLIENT_KEY_ID_REQUIRED',
  DCI_CLIENT_QUOTA_INVALID = 'DCI_CLIENT_QUOTA_INVALID',
  DCI_CLIENT_VERSION_CONFLICT = 'DCI_CLIENT_VERSION_CONFLICT',
}

export interface DciClientCommand {
  senderId?: string;
  name?: string;
  callbackUri?: string;
  /** A full URL for notifications; null (on update) clears it: notifications go to <callbackUri>/registry/notify. */
  notifyUri?: string | null;
  publicKey?: unknown;
  keyId?: string;
  allowedActions?: string[];
  allowedQueryTypes?: string[];
  maxRecordsPerRequest?: number;
  maxRecordsPerDay?: number;
  allowPrivateAddress?: boolean;
  active?: boolean;
  expectedVersion?: number;
  /** Record attributes per purpose (dci-purpose.ts); null: no limit. */
  purposeAttributes?: Record<string, string[]> | null;
}

/**
 * The register of DCI clients, kept by an administrator: who may send DCI requests (sender id),
 * the key its requests are signed with, where its callbacks go, what it may ask and how many records
 * it may receive. Every change is in the audit trail; a new callback address or a new key is recorded
 * as its own act with the old and the new value (key id and thumbprint).
 */
@Injectable()
export class DciClientService {
  constructor(
    private readonly repo: DciClientRepository,
    private readonly audit: AuditLog,
    @Inject(PLATFORM_CONFIG) private readonly config: SocialRegisterConfig,
  ) {}

  private key(input: unknown): { jwk: Record<string, unknown>; algorithm: DciClientRow['keyAlgorithm']; thumbprint: string } {
    if (typeof input !== 'string' && (typeof input !== 'object' || input === null || Array.isArray(input))) {
      throw DomainError.validation(
        DciClientErrorCode.DCI_CLIENT_KEY_INVALID,
        'publicKey must be a PEM public key or a JWK object',
        'publicKey',
      );
    }
    const privateParts =
      typeof input === 'string'
        ? /PRIVATE KEY/.test(input) || /"d"\s*:/.test(input)
        : ['d', 'p', 'q', 'dp', 'dq', 'qi'].some((k) => k in (input as object));
    if (privateParts)
      throw DomainError.validation(
        DciClientErrorCode.DCI_CLIENT_KEY_INVALID,
        'publicKey must be a public key: never send a private key',
        'publicKey',
      );
    let key;
    try {
      key = parsePublicKey(input as string | Record<string, unknown>);
    } catch {
      throw DomainError.validation(
        DciClientErrorCode.DCI_CLIENT_KEY_INVALID,
        'publicKey is not a readable public key (PEM SPKI or JWK)',
        'publicKey',
      );
    }
    if (key.type !== 'public')
      throw DomainError.validation(
        DciClientErrorCode.DCI_CLIENT_KEY_INVALID,
        'publicKey must be a public key, not a private one',
        'publicKey',
      );
    const algorithm = algorithmOf(key);
    if (!algorithm)
      throw DomainError.validation(
        DciClientErrorCode.DCI_CLIENT_KEY_INVALID,
        'publicKey must be Ed25519, EC P-256 or RSA of at least 2048 bits',
        'publicKey',
      );
    return { jwk: key.export({ format: 'jwk' }) as Record<string, unknown>, algorithm, thumbprint: thumbprintOf(key) };
  }

  /** A callback address (`callbackUri`: the DCI base URL; `notifyUri`: a full URL), normalised, public unless private ones are allowed. */
  private async callback(uri: string, allowPrivate: boolean, field: 'callbackUri' | 'notifyUri' = 'callbackUri'): Promise<string> {
    const base = field === 'callbackUri' ? normaliseBaseUri(uri) : normaliseCallbackUrl(uri);
    const u = base ? new URL(base) : null;
    if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:'))
      throw DomainError.validation(
        DciClientErrorCode.DCI_CLIENT_CALLBACK_INVALID,
        `${field} must be an absolute http(s) URL without credentials, query or fragment`,
        field,
      );
    if (this.config.NODE_ENV === 'production' && u.protocol !== 'https:')
      throw DomainError.validation(DciClientErrorCode.DCI_CLIENT_CALLBACK_INVALID, `${field} must be https`, field);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate) {
      if (isIP(host) && isNonPublicAddress(host))
        throw DomainError.validation(
          DciClientErrorCode.DCI_CLIENT_CALLBACK_PRIVATE,
          `${field} is a private, loopback, link-local or reserved address (allowPrivateAddress is not set)`,
          field,
        );
      try {
        await assertDestination(base!, false);
      } catch (err) {
        // A name that does not resolve yet is accepted (it is checked again on every delivery); one that resolves to a private address is not.
        if (err instanceof DestinationRefused && /private/.test(err.message))
          throw DomainError.validation(
            DciClientErrorCode.DCI_CLIENT_CALLBACK_PRIVATE,
            `${field}: ${err.message} (allowPrivateAddress is not set)`,
            field,
          );
      }
    }
    return base!;
  }

  private quotas(perRequest: number, perDay: number): void {
    if (perRequest > perDay)
      throw DomainError.validation(
        DciClientErrorCode.DCI_CLIENT_QUOTA_INVALID,
        'maxRecordsPerRequest cannot exceed maxRecordsPerDay',
        'maxRecordsPerRequest',
      );
  }

  async create(
    principal: Principal,
    cmd: Required<
      Pick<
        DciClientCommand,
        'senderId' | 'name' | 'callbackUri' | 'publicKey' | 'keyId' | 'allowedActions' | 'maxRecordsPerRequest' | 'maxRecordsPerDay'
      >
    > &
      DciClientCommand,
  ): Promise<DciClientRow> {
    const key = this.key(cmd.publicKey);
    const allowPrivate = cmd.allowPrivateAddress ?? false;
    const callbackUri = await this.callback(cmd.callbackUri, allowPrivate);
    const notifyUri = cmd.notifyUri ? await this.callback(cmd.notifyUri, allowPrivate, 'notifyUri') : null;
    this.quotas(cmd.maxRecordsPerRequest, cmd.maxRecordsPerDay);
    const row: DciClientWrite & { createdBy: string } = {
      id: randomUUID(),
      senderId: cmd.senderId,
      name: cmd.name,
      callbackUri,
      notifyUri,
      publicKey: key.jwk,
      keyId: cmd.keyId,
      keyAlgorithm: key.algorithm,
      keyThumbprint: key.thumbprint,
      allowedActions: cmd.allowedActions as DciAction[],
      allowedQueryTypes: cmd.allowedQueryTypes ?? [...DCI_QUERY_TYPES],
      maxRecordsPerRequest: cmd.maxRecordsPerRequest,
      maxRecordsPerDay: cmd.maxRecordsPerDay,
      allowPrivateAddress: allowPrivate,
      active: cmd.active ?? true,
      createdBy: principal.id,
      updatedBy: principal.id,
    };
    try {
      return await this.insertClient(principal, row, cmd.purposeAttributes ?? null);
    } catch (err) {
      if (isUniqueViolation(err, 'dci_client_sender_id_key'))
        throw DomainError.conflict(
          DciClientErrorCode.DCI_CLIENT_SENDER_TAKEN,
          `a DCI client with sender id ${cmd.senderId} is registered`,
          'senderId',
        );
      throw err;
    }
  }

  @Transactional()
  private async insertClient(
    principal: Principal,
    row: DciClientWrite & { createdBy: string },
    purposeAttributes: Record<string, string[]> | null,
  ): Promise<DciClientRow> {
    const inserted = await this.repo.insert(row);
    const created = purposeAttributes ? await this.repo.setPurposeAttributes(inserted.id, purposeAttributes) : inserted;
    await this.audit.recordAction(
      principal,
      'dci-client.register',
      'dci_client',
      [created.id],
      `sender ${created.senderId}; callback ${created.callbackUri}${created.notifyUri ? `; notify ${created.notifyUri}` : ''}; key ${created.keyId} ${created.keyAlgorithm} ${created.keyThumbprint}; actions ${created.allowedActions.join(',')}; quota ${created.maxRecordsPerRequest}/${created.maxRecordsPerDay}${created.allowPrivateAddress ? '; private address allowed' : ''}`,
    );
    return created;
  }

  @Transactional()
  async update(principal: Principal, id: string, cmd: DciClientCommand): Promise<DciClientRow> {
    if (cmd.publicKey !== undefined && cmd.keyId === undefined)
      throw DomainError.validation(DciClientErrorCode.DCI_CLIENT_KEY_ID_REQUIRED, 'a new publicKey needs its keyId', 'keyId');
    const key = cmd.publicKey !== undefined ? this.key(cmd.publicKey) : null;
    const c = await this.repo.byId(id, true);
    if (!c) throw DomainError.notFound(DciClientErrorCode.DCI_CLIENT_NOT_FOUND, `DCI client ${id} not found`);
    if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== c.version)
      throw DomainError.conflict(
        DciClientErrorCode.DCI_CLIENT_VERSION_CONFLICT,
        `the client is at version ${c.version}`,
        'expectedVersion',
        { version: c.version },
      );
    const allowPrivate = cmd.allowPrivateAddress ?? c.allowPrivateAddress;
    const callbackUri =
      cmd.callbackUri !== undefined || allowPrivate !== c.allowPrivateAddress
        ? await this.callback(cmd.callbackUri ?? c.callbackUri, allowPrivate)
        : c.callbackUri;
    const notifyWanted = cmd.notifyUri === undefined ? c.notifyUri : cmd.notifyUri;
    const notifyUri =
      notifyWanted && (cmd.notifyUri !== undefined || allowPrivate !== c.allowPrivateAddress)
        ? await this.callback(notifyWanted, allowPrivate, 'notifyUri')
        : notifyWanted;
    const next: DciClientWrite = {
      ...c,
      name: cmd.name ?? c.name,
      callbackUri,
      notifyUri: notifyUri ?? null,
      publicKey: key?.jwk ?? c.publicKey,
      keyId: cmd.keyId ?? c.keyId,
      keyAlgorithm: key?.algorithm ?? c.keyAlgorithm,
      keyThumbprint: key?.thumbprint ?? c.keyThumbprint,
      allowedActions: (cmd.allowedActions as DciAction[] | undefined) ?? c.allowedActions,
      allowedQueryTypes: cmd.allowedQueryTypes ?? c.allowedQueryTypes,
      maxRecordsPerRequest: cmd.maxRecordsPerRequest ?? c.maxRecordsPerRequest,
      maxRecordsPerDay: cmd.maxRecordsPerDay ?? c.maxRecordsPerDay,
      allowPrivateAddress: allowPrivate,
      active: cmd.active ?? c.active,
      updatedBy: principal.id,
    };
    this.quotas(next.maxRecordsPerRequest, next.maxRecordsPerDay);
    const written = await this.repo.update(next);
    const updated = cmd.purposeAttributes !== undefined ? await this.repo.setPurposeAttributes(id, cmd.purposeAttributes) : written;
    const audit = (action: string, purpose: string) =>
      this.audit.recordAction(principal, action, 'dci_client', [id], `sender ${c.senderId}: ${purpose}`);
    if (updated.callbackUri !== c.callbackUri)
      await audit('dci-client.callback-change', `callback ${c.callbackUri} → ${updated.callbackUri}`);
    if (updated.notifyUri !== c.notifyUri)
      await audit('dci-client.callback-change', `notify ${c.notifyUri ?? '(default)'} → ${updated.notifyUri ?? '(default)'}`);
    if (updated.keyThumbprint !== c.keyThumbprint || updated.keyId !== c.keyId)
      await audit(
        'dci-client.key-change',
        `key ${c.keyId} ${c.keyAlgorithm} ${c.keyThumbprint} → ${updated.keyId} ${updated.keyAlgorithm} ${updated.keyThumbprint}`,
      );
    const changed = (
      [
        'name',
        'allowedActions',
        'allowedQueryTypes',
        'maxRecordsPerRequest',
        'maxRecordsPerDay',
        'allowPrivateAddress',
        'active',
        'purposeAttributes',
      ] as const
    ).filter((f) => JSON.stringify(updated[f]) !== JSON.stringify(c[f]));
    if (changed.length > 0)
      await audit('dci-client.update', changed.map((f) => `${f} ${JSON.stringify(c[f])} → ${JSON.stringify(updated[f])}`).join('; '));
    return updated;
  }

  async get(id: string): Promise<DciClientRow> {
    const c = await this.repo.byId(id);
    if (!c) throw DomainError.notFound(DciClientErrorCode.DCI_CLIENT_NOT_FOUND, `DCI client ${id} not found`);
    return c;
  }

  list(q: { active?: boolean; q?: string } & PageRequest) {
    return this.repo.list(q);
  }
}
