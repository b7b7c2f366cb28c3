import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type EntityManager } from 'typeorm';
import type { PageRequest } from '../http/page.dto';

/** What a statement runs on: the current transaction's connection, or the pool outside one. */
export type SqlRunner = Pick<EntityManager, 'query'>;

interface Ambient {
  /** Hosts over the same pool share the transaction (the inbox consumer's and the repositories'). */
  dataSource: DataSource | null;
  manager: EntityManager;
}

const ambient = new AsyncLocalStorage<Ambient>();

export interface TransactionOptions {
  /**
   * `required` (the default) joins the transaction already open in this call chain or opens one;
   * `new` always opens its own (committed or rolled back on its own, e.g. an audit row that must
   * stay when the caller's work fails).
   */
  propagation?: 'required' | 'new';
}

/**
 * The service's one way to run work in a database transaction. A use case is marked
 * `@Transactional()` (or calls `run`); every repository, the outbox writer, the audit log and the
 * inbox consumer call `query`/`manager` and so join the transaction open in the current async call
 * chain (AsyncLocalStorage), without a `tx` parameter threaded through. Outside a transaction a
 * statement runs on its own on the pool (a read, or one self-contained write).
 */
@Injectable()
export class TransactionHost implements OnModuleDestroy {
  /** Hosts alive in this process, the newest last (`@Transactional()` uses the newest). */
  private static readonly hosts: TransactionHost[] = [];

  constructor(private readonly dataSource: DataSource | null) {}

  /** Makes `host` the one `@Transactional()` methods use (until it is destroyed). */
  static register(host: TransactionHost): TransactionHost {
    TransactionHost.hosts.push(host);
    return host;
  }

  /**
   * A host without a database, for unit specs that call `@Transactional()` use cases with their
   * repositories faked: `run` just runs the work. Registered by the unit test set-up.
   */
  static withoutDatabase(): TransactionHost {
    return new TransactionHost(null);
  }

  /** The host `@Transactional()` methods use: the newest one alive in this process. */
  static current(): TransactionHost {
    const host = TransactionHost.hosts[TransactionHost.hosts.length - 1];
    if (!host) throw new Error('no TransactionHost: the PlatformModule (or the unit test set-up) has not started');
    return host;
  }

  /** The manager of the transaction open in this call chain, whichever host opened it. */
  static ambientManager(): EntityManager | undefined {
    return ambient.getStore()?.manager;
  }

  onModuleDestroy(): void {
    const i = TransactionHost.hosts.lastIndexOf(this);
    if (i >= 0) TransactionHost.hosts.splice(i, 1);
  }

  /** True inside a transaction opened by this host in the current call chain. */
  get active(): boolean {
    return !!this.dataSource && ambient.getStore()?.dataSource === this.dataSource;
  }

  /** The current transaction's manager, or the pool's outside one. */
  get manager(): EntityManager {
    const store = ambient.getStore();
    if (store && this.dataSource && store.dataSource === this.dataSource) return store.manager;
    if (!this.dataSource) throw new Error('TransactionHost.withoutDatabase() has no database to query');
    return this.dataSource.manager;
  }

  /** Runs one statement in the current transaction (or on its own outside one); rows typed by the caller. */
  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    return rowsOf(await this.manager.query(sql, params)) as Row[];
  }

  /** An UPDATE or DELETE without RETURNING: answers the number of rows it touched. */
  async execute(sql: string, params?: unknown[]): Promise<number> {
    const r: unknown = await this.manager.query(sql, params);
    return isRowsAndCount(r) ? r[1] : 0;
  }

  /** The first row of a statement, or undefined. */
  async one<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row | undefined> {
    const rows = await this.query<Row>(sql, params);
    return rows[0];
  }

  /**
   * A list's total: runs `sql` (a statement answering one row with a `total` column, e.g.
   * `SELECT count(*)::int AS total FROM … WHERE …`) when the page asks for one (`withTotal` absent or true),
   * else skips the count and answers null (the caller asked `?total=false`).
   */
  async total(page: PageRequest, sql: string, params?: unknown[]): Promise<number | null> {
    if (page.withTotal === false) return null;
    const row = await this.one<{ total: number | string | null }>(sql, params);
    return Number(row?.total ?? 0);
  }

  /** Runs `work` in a transaction: the one open in this call chain, or a new one committed when `work` resolves. */
  async run<T>(work: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.active && options.propagation !== 'new') return work();
    if (!this.dataSource) return work();
    return this.dataSource.transaction((manager) => ambient.run({ dataSource: this.dataSource, manager }, work));
  }

  /**
   * Streams rows into a table with `COPY … FROM STDIN` (`sql`) inside the transaction open in this call
   * chain (bulk loads such as a migration's staging); `rows` yields COPY text lines. Answers the row count.
   */
  async copyIn(sql: string, rows: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<number> {
    const manager = this.assertActive('COPY');
    const client = (manager.queryRunner as unknown as { databaseConnection?: { query(q: unknown): unknown } }).databaseConnection;
    if (!client) throw new Error('COPY needs a connected transaction');
    const sink = client.query(copyFrom(sql)) as ReturnType<typeof copyFrom>;
    await pipeline(Readable.from(rows, { objectMode: false }), sink);
    return Number(sink.rowCount ?? 0);
  }

  /** Throws unless a transaction is open in this call chain (for writes that must never stand alone). */
  assertActive(what: string): EntityManager {
    const manager = TransactionHost.ambientManager();
    if (!manager?.queryRunner?.isTransactionActive && this.dataSource) throw new Error(`${what} must run inside a transaction`);
    return manager ?? this.manager;
  }
}

/**
 * Marks a use case: the method runs in a transaction (joining one already open in the call chain),
 * committed when its promise resolves and rolled back when it rejects.
 */
export function Transactional(options: TransactionOptions = {}): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = function transactional(this: unknown, ...args: unknown[]) {
      return TransactionHost.current().run(() => original.apply(this, args), options);
    };
    Object.defineProperty(descriptor.value, 'name', { value: original.name });
    return descriptor;
  };
}

/** TypeORM answers an UPDATE or DELETE (RETURNING or not) as `[rows, affected count]`, any other statement as its rows. */
const isRowsAndCount = (r: unknown): r is [unknown[], number] =>
  Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number';

/** The rows of a statement's result, whatever the statement (see isRowsAndCount). */
export const rowsOf = (r: unknown): Record<string, unknown>[] =>
  (isRowsAndCount(r) ? r[0] : (r as Record<string, unknown>[])) as Record<string, unknown>[];
