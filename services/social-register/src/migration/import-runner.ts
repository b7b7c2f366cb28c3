import { DomainError, PLATFORM_CONFIG } from '@eisss/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SocialRegisterConfig } from '../config/config';
import { inspectLegacyFile } from './legacy-reader';
import { MigrationErrorCode } from './migration.errors';
import { MigrationService } from './migration.service';

/**
 * Runs the jobs created over REST in the background: the upload is spooled to IMPORT_SPOOL_DIR (named
 * by its SHA-256), the job runs from there, and a job a restart interrupted is resumed when the
 * service starts (staging again from the spooled file, or applying from the last committed chunk).
 */
@Injectable()
export class ImportRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ImportRunner');
  private readonly running = new Map<string, Promise<void>>();
  private readonly dir: string;
  private readonly maxBytes: number;
  private stopped = false;

  constructor(
    private readonly migration: MigrationService,
    @Inject(PLATFORM_CONFIG) config: SocialRegisterConfig,
  ) {
    this.dir = config.IMPORT_SPOOL_DIR ?? join(tmpdir(), 'eisss-imports');
    this.maxBytes = config.IMPORT_MAX_BYTES;
  }

  /** Writes an upload to the spool; answers its path (by content hash, so a repeated upload is the same file). */
  async spool(body: Readable): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const partial = join(this.dir, `upload-${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const max = this.maxBytes;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max)
          return done(
            DomainError.validation(
              MigrationErrorCode.IMPORT_FILE_TOO_LARGE,
              `the file is larger than ${max} bytes (IMPORT_MAX_BYTES)`,
              'file',
            ),
          );
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(partial, { mode: 0o600 }));
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    if (size === 0) {
      await rm(partial, { force: true });
      throw DomainError.validation(MigrationErrorCode.IMPORT_FILE_MISSING, 'the request body (the file) is empty', 'file');
    }
    const path = join(this.dir, `${hash.digest('hex')}.upload`);
    await rename(partial, path);
    return path;
  }

  /** Starts (or joins) the background run of a job. */
  start(jobId: string, path: string | null, encoding?: string): void {
    if (this.running.has(jobId) || this.stopped) return;
    const work = (async () => {
      const file = path ? await inspectLegacyFile(path, encoding) : null;
      const job = await this.migration.run(jobId, file);
      if (job.status === 'completed' && path) await rm(path, { force: true });
    })()
      .catch(async (err: Error) => {
        this.log.error(`import job ${jobId}: ${err.message}`);
        // A refused file has failed the job already; anything else leaves it resumable, and says so.
        if (!(err instanceof DomainError)) await this.migration.noteStopped(jobId, err).catch(() => undefined);
      })
      .finally(() => this.running.delete(jobId));
    this.running.set(jobId, work);
  }

  async onApplicationBootstrap(): Promise<void> {
    const { items } = await this.migration.unfinished();
    for (const job of items) {
      const path = join(this.dir, `${job.fileSha256}.upload`);
      const exists = await stat(path).then(
        () => true,
        () => false,
      );
      this.start(job.id, exists ? path : null, job.encoding);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    // A chunk in flight finishes or rolls back; the job resumes after the last committed one.
    await Promise.allSettled([...this.running.values()]);
  }

  /** Resolves when the job's background run (if any) ends (tests, shutdown). */
  async settled(jobId: string): Promise<void> {
    await this.running.get(jobId);
  }
}
