#!/usr/bin/env node
import 'reflect-metadata';
import { Role } from '@eisss/contracts';
import type { Principal } from '@eisss/platform';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { userInfo } from 'node:os';
import type { ImportProgress } from './migration/migration.service';
import { openRegister } from './standalone';

/**
 * Operators' CLI of the register (uses DATABASE_URL etc. like the service):
 *   import <file...> [--entity <e>] [--encoding utf8|cp1251|cp866] [--as <user id>]
 *   import-status <jobId>
 * A file imports once (its job is found by SHA-256); run it again to resume after a crash.
 */
const principal = (id?: string): Principal => ({ id: id ?? `cli:${userInfo().username}`, roles: [Role.Registrar], territory: 'UA' });
const quiet = () => !process.stderr.isTTY || process.env.CLI_PROGRESS === '0';

function summary(p: ImportProgress['job']): string {
  return `job ${p.id} ${p.entity} ${p.status}: ${p.totalRows} rows, ${p.createdRows} created, ${p.linkedRows} linked, ${p.rejectedRows} rejected, ${p.reviewRows} duplicate reviews`;
}

export function buildCli(): Command {
  const program = new Command('register').description('ЄІССС social register: bulk migration from the systems in use');
  program
    .command('import')
    .argument('<files...>', 'legacy extracts (docs/migration.md), imported in the order given')
    .option('--entity <entity>', 'persons | accounts | households | members | statuses | assignments (default: from the file name)')
    .option('--encoding <encoding>', 'utf8 | cp1251 | cp866 (default: detected)')
    .option('--as <userId>', 'the operator recorded on the job (default: cli:<os user>)')
    .action(async (files: string[], o: { entity?: string; encoding?: string; as?: string }) => {
      const r = await openRegister();
      try {
        for (const path of files) {
          const { job, file, existing } = await r.migration.open(principal(o.as), { path, entity: o.entity, encoding: o.encoding });
          process.stderr.write(
            `${path}: ${existing ? 'resuming' : 'new'} job ${job.id} (${job.entity}, ${file.encoding}${file.gzip ? ', gzip' : ''})\n`,
          );
          let bar: SingleBar | null = null;
          const started = process.hrtime.bigint();
          const done = await r.migration.run(job.id, file, (p) => {
            if (quiet()) {
              if (p.phase !== 'applying' || p.job.chunksApplied % 20 === 0) process.stderr.write(`  ${p.phase} ${p.done}\n`);
              return;
            }
            if (p.phase === 'staging') process.stderr.write(`\r  staged ${p.done} rows`);
            if (p.phase === 'validated') {
              process.stderr.write(`\r  staged ${p.job.totalRows} rows, ${p.job.rejectedRows} rejected by the checks\n`);
              bar = new SingleBar(
                { format: '  applying [{bar}] {percentage}% | line {value}/{total} | {eta_formatted}', stream: process.stderr },
                Presets.shades_classic,
              );
              bar.start(p.job.totalRows + 1, p.job.appliedThrough);
            }
            if (p.phase === 'applying') {
              if (!bar) {
                bar = new SingleBar(
                  { format: '  applying [{bar}] {percentage}% | line {value}/{total} | {eta_formatted}', stream: process.stderr },
                  Presets.shades_classic,
                );
                bar.start(p.job.totalRows + 1, p.done);
              }
              bar.update(p.done);
            }
            if (p.phase === 'completed') (bar as SingleBar | null)?.stop();
          });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          process.stdout.write(`${summary(done)} (${seconds.toFixed(1)} s)\n`);
          if (done.status === 'awaiting_approval')
            process.stdout.write(
              `  a second person approves it: POST /imports/${done.id}/approve (role supervisor); then run this again or let the service apply it\n`,
            );
          if (done.rejectedRows > 0) process.stdout.write(`  reject report: GET /imports/${done.id}/rejects\n`);
        }
      } catch (err) {
        const e = err as Error & { code?: string; field?: string };
        process.stderr.write(`\nerror${e.code ? ` ${e.code}` : ''}${e.field ? ` (${e.field})` : ''}: ${e.message}\n`);
        process.exitCode = 1;
      } finally {
        await r.close();
      }
    });
  program
    .command('import-status')
    .argument('<jobId>')
    .action(async (id: string) => {
      const r = await openRegister();
      try {
        process.stdout.write(`${summary(await r.migration.get(principal(), id))}\n`);
      } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        await r.close();
      }
    });
  return program;
}

if (require.main === module) {
  void buildCli()
    .parseAsync(process.argv)
    .catch((err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    });
}
