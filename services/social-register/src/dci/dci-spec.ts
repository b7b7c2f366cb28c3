import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { DCI_SOCIAL_API_YAML } from './spec/social-api.spec-text';

/** The request bodies this register validates, by the spec's path. */
export type DciPath =
  | '/registry/sync/search'
  | '/registry/search'
  | '/registry/subscribe'
  | '/registry/unsubscribe'
  | '/registry/sync/txn/status'
  | '/registry/txn/status';

/** The callback endpoints the register posts to (the sender implements them): their request bodies. */
export type DciCallbackPath =
  '/registry/on-search' | '/registry/on-subscribe' | '/registry/on-unsubscribe' | '/registry/notify' | '/registry/txn/on-status';

interface SpecDoc {
  components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }>; enum?: string[] }> };
}

/**
 * The DCI Social Registry OpenAPI document loaded with `yaml` and compiled with Ajv: request
 * bodies are validated against the spec's own path schemas (header, message, oneOf
 * SearchRequest/EncryptedMessage, …), so the register accepts exactly what the standard describes.
 */
export class DciSpec {
  private static instance?: DciSpec;
  readonly doc: SpecDoc;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor() {
    this.doc = YAML.parse(DCI_SOCIAL_API_YAML) as SpecDoc;
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.ajv.addSchema(this.doc as object, 'dci');
  }

  static get(): DciSpec {
    return (DciSpec.instance ??= new DciSpec());
  }

  private validator(ref: string): ValidateFunction {
    let v = this.validators.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, v);
    }
    return v;
  }

  /** Errors of a request body against `paths.<path>.post.requestBody` (application/json); empty when valid. */
  validateRequest(path: DciPath, body: unknown): ErrorObject[] {
    const v = this.validator(`dci#/paths/${path.replace(/\//g, '~1')}/post/requestBody/content/application~1json/schema`);
    return v(body) ? [] : [...(v.errors ?? [])];
  }

  /** Errors of a callback body the register sends against `paths.<callback path>.post.requestBody` (application/json). */
  validateCallback(path: DciCallbackPath, body: unknown): ErrorObject[] {
    const v = this.validator(`dci#/paths/${path.replace(/\//g, '~1')}/post/requestBody/content/application~1json/schema`);
    return v(body) ? [] : [...(v.errors ?? [])];
  }

  /** Errors of a value against `components.schemas.<name>` (or a JSON pointer below it). */
  validateSchema(pointer: string, value: unknown): ErrorObject[] {
    const v = this.validator(`dci#/components/schemas/${pointer}`);
    return v(value) ? [] : [...(v.errors ?? [])];
  }

  /** Errors of a response body against the default response of a sync path. */
  validateSyncResponse(path: '/registry/sync/search' | '/registry/sync/txn/status', body: unknown): ErrorObject[] {
    const v = this.validator(`dci#/paths/${path.replace(/\//g, '~1')}/post/responses/default/content/application~1json/schema`);
    return v(body) ? [] : [...(v.errors ?? [])];
  }

  /** Errors of an acknowledgement (ACK/NACK/ERR) against the spec's `Response`. */
  validateAck(body: unknown): ErrorObject[] {
    const v = this.validator(`dci#/components/responses/Response/content/application~1json/schema`);
    return v(body) ? [] : [...(v.errors ?? [])];
  }

  /** An enum declared by the spec (e.g. `Error` codes, `SearchStatusReasonCode`). */
  enumOf(schema: string, property?: string): string[] {
    const s = this.doc.components.schemas[schema];
    return (property ? s?.properties?.[property]?.enum : s?.enum) ?? [];
  }
}

export function describeErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
    )
    .join('; ')
    .slice(0, 990);
}
