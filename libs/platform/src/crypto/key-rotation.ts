import { createDataKey, loadFieldCipher, retireDataKeys, rewrapDataKeys, typeormSql, type SqlRows } from './data-keys';
import { FieldCipher } from './field-cipher';
import { LocalKeyWrapper, piiKeyConfig, type KeyWrapper } from './key-wrapper';

/** A service's key wrapper and lookup-hash key from configuration (PII_MASTER_KEYS, PII_HMAC_KEY); a KMS adapter would be built here instead. */
export function piiKeysFromConfig(env: Parameters<typeof piiKeyConfig>[0]): { wrapper: KeyWrapper; hmacKey: Buffer } {
  const keys = piiKeyConfig(env);
  return { wrapper: new LocalKeyWrapper(keys.masterKeys), hmacKey: keys.hmacKey };
}

interface WarnLogger {
  warn(message: string): void;
}

/**
 * A service's field cipher: its data keys (`<schema>.pii_data_key`) unwrapped on start (or first use),
 * reloaded when a value names a key this process does not hold yet (after a rotation) and every
 * `refreshMs`, so that a new active key is picked up without a restart. A failed periodic reload keeps
 * the keys held so far and says so: key retirement assumes every replica reloads within 2 × refreshMs.
 */
export class DataKeyring {
  private current: FieldCipher | null = null;
  private loading: Promise<FieldCipher> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly sql: SqlRows,
    readonly schema: string,
    private readonly keys: { wrapper: KeyWrapper; hmacKey: Buffer },
    private readonly refreshMs: number,
    private readonly logger: WarnLogger,
  ) {}

  /** Loads the keys and starts the periodic reload. */
  async start(): Promise<void> {
    await this.reload();
    this.timer = setInterval(
      () =>
        void this.reload().catch((err: unknown) =>
          this.logger.warn(`personal-data keys could not be reloaded; keeping the keys held so far: ${(err as Error).message}`),
        ),
      this.refreshMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  reload(): Promise<FieldCipher> {
    this.loading ??= loadFieldCipher(this.sql, this.schema, this.keys.wrapper, this.keys.hmacKey)
      .then((c) => (this.current = c))
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** The cipher held now (throws before the first load). */
  get cipher(): FieldCipher {
    if (!this.current) throw new Error('personal-data keys are not loaded yet');
    return this.current;
  }

  /** The cipher (loaded on first use), reloaded first when `keyIds` name a key it does not hold. */
  async cipherForKeyIds(keyIds: Iterable<string>): Promise<FieldCipher> {
    const c = this.current ?? (await this.reload());
    const known = new Set(c.keyIds);
    for (const k of keyIds) if (!known.has(k)) return this.reload();
    return c;
  }
}

export interface RotateOptions {
  resume: boolean;
  retire: boolean;
  batch: number;
  log: (line: string) => void;
}

export interface RotateResult {
  activeKeyId: string;
  rewrapped: number;
  reencrypted: Record<string, number>;
  remaining: number;
  retired: string[];
  /** Old keys --retire left in place: too recently deactivated, or still named by a value. */
  notRetired: string[];
}

/** `--retire` without `--resume`: the key this run would deactivate may still be in use by replicas. */
export class RetireRefused extends Error {}

/** What a service's rotation works on: its schema, keys, and where its values are. */
export interface KeyRotationPlan {
  schema: string;
  keys: { wrapper: KeyWrapper; hmacKey: Buffer };
  /** The replicas' key refresh interval (PII_KEY_REFRESH_MS): a key retires only after 2 × this inactive. */
  refreshMs: number;
  /** Re-encrypts every value under another key than the cipher's active one, in batches; rows changed per table. */
  reencrypt(cipher: FieldCipher, batch: number, log: (line: string) => void): Promise<Record<string, number>>;
  /** Key ids still named by any stored value; with `lock`, first locks the tables against writes until the transaction of `sql` ends. */
  keyIdsInUse(sql: SqlRows, lock: boolean): Promise<Set<string>>;
}

interface TransactionalDb {
  query(text: string, params?: unknown[]): Promise<any>;
  transaction<T>(work: (tx: { query(text: string, params?: unknown[]): Promise<any> }) => Promise<T>): Promise<T>;
}

/**
 * Data key rotation, the same for every service:
 * 1. re-wraps every data key under the first master key of PII_MASTER_KEYS (master key rotation);
 * 2. creates a new active data key (not with --resume: then it continues towards the current one);
 * 3. re-encrypts the values under another key in batches (the plan's `reencrypt`); old keys stay
 *    readable throughout, and running services pick up the new key (refresh, or at once on meeting it);
 * 4. reports how many keys values still name besides the active one (rows written by a replica that
 *    had not picked up the new key yet: run again with --resume);
 * 5. with `--resume --retire`, deletes old keys that stopped being active more than 2 × refresh ago and
 *    that no stored value names (counted again under lock in the deleting transaction).
 */
export async function rotateDataKeys(db: TransactionalDb, plan: KeyRotationPlan, o: RotateOptions): Promise<RotateResult> {
  const minInactiveMs = 2 * plan.refreshMs;
  if (o.retire && !o.resume) {
    throw new RetireRefused(
      `--retire is refused in the run that creates a new data key: running services keep encrypting with the old key until they reload (PII_KEY_REFRESH_MS). ` +
        `Retire it later, after ${minInactiveMs / 1000} s: rotate-keys --resume --retire`,
    );
  }
  const { wrapper, hmacKey } = plan.keys;
  const rewrapped = await db.transaction((tx) => rewrapDataKeys(typeormSql(tx), plan.schema, wrapper));
  if (rewrapped) o.log(`re-wrapped ${rewrapped} data key(s) under master key ${wrapper.activeMasterKeyId}`);
  if (!o.resume) o.log(`new active data key ${await db.transaction((tx) => createDataKey(typeormSql(tx), plan.schema, wrapper))}`);
  const cipher = await loadFieldCipher(typeormSql(db), plan.schema, wrapper, hmacKey);
  o.log(`re-encrypting under ${cipher.activeKeyId} in batches of ${o.batch}`);
  const reencrypted = await plan.reencrypt(cipher, o.batch, o.log);
  const used = await plan.keyIdsInUse(typeormSql(db), false);
  used.delete(cipher.activeKeyId);
  const remaining = used.size;
  o.log(remaining === 0 ? 'every value is under the active key' : `values under ${[...used].join(', ')} remain: run again with --resume`);
  const retired: string[] = [];
  const notRetired: string[] = [];
  if (o.retire && remaining === 0) {
    const r = await db.transaction((tx) =>
      retireDataKeys(typeormSql(tx), plan.schema, { minInactiveMs, keyIdsInUse: (sql) => plan.keyIdsInUse(sql, true) }),
    );
    retired.push(...r.retired);
    o.log(`retired data key(s): ${retired.join(', ') || 'none'}`);
    for (const k of r.tooRecent) {
      o.log(
        `data key ${k.id} stopped being active less than 2 × PII_KEY_REFRESH_MS ago (running services may still encrypt with it): run --resume --retire again after ${k.retireAfter.toISOString()}`,
      );
      notRetired.push(k.id);
    }
    for (const id of r.inUse) {
      o.log(`data key ${id} is named by values written meanwhile: run --resume --retire again`);
      notRetired.push(id);
    }
  }
  return { activeKeyId: cipher.activeKeyId, rewrapped, reencrypted, remaining, retired, notRetired };
}

/**
 * The `rotate-keys` command of a service: `[--resume] [--retire] [--batch N]`. Exit 2: --retire refused;
 * 3: values under older keys remain; 4: a key could not retire yet; 1: any other failure.
 */
export function runRotateKeysCommand(
  service: string,
  argv: string[],
  defaultBatch: number,
  open: () => Promise<{ db: TransactionalDb; plan: KeyRotationPlan; close(): Promise<void> }>,
): void {
  const out = (l: string) => process.stdout.write(`${service} rotate-keys: ${l}\n`);
  const main = async () => {
    const batchAt = argv.indexOf('--batch');
    const batch = batchAt >= 0 ? Number(argv[batchAt + 1]) : defaultBatch;
    if (!Number.isInteger(batch) || batch < 1 || batch > 10000) throw new Error('--batch takes 1..10000');
    const { db, plan, close } = await open();
    try {
      const r = await rotateDataKeys(db, plan, { resume: argv.includes('--resume'), retire: argv.includes('--retire'), batch, log: out });
      if (r.remaining > 0) process.exitCode = 3;
      else if (r.notRetired.length > 0) process.exitCode = 4;
    } finally {
      await close();
    }
  };
  main().catch((err: unknown) => {
    process.stderr.write(`${service} rotate-keys: ${(err as Error).message}\n`);
    process.exit(err instanceof RetireRefused ? 2 : 1);
  });
}
