#!/usr/bin/env node
import 'reflect-metadata';
import { Role } from '@eisss/contracts';
import type { Principal } from '@eisss/platform';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { openTreasury, type Treasury } from './standalone';
import type { BatchRow } from './bank/payment.repository';
import { kopiykyToDecimal } from './shared/money';

/**
 * Operators' CLI of the social treasury (uses DATABASE_URL etc. like the service):
 *   payroll run --programme <code> --month <YYYY-MM> [--request-id <id>]
 *   payroll status [--id <payrollId>] [--programme <code>] [--month <YYYY-MM>]
 *   bank-file export --payroll <id> --out <dir> [--all]
 *   statement import <file...>
 */
const principal = (): Principal => ({ id: `cli:${userInfo().username}`, roles: [Role.Treasurer], territory: 'UA' });
const uah = (k: string | bigint) => `${kopiykyToDecimal(k)} UAH`;
const quiet = () => !process.stderr.isTTY || process.env.CLI_PROGRESS === '0';

function bar(label: string, total: number): SingleBar {
  const b = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`,
      hideCursor: true,
      noTTYOutput: false,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  if (!quiet()) b.start(total, 0);
  return b;
}

async function withTreasury<T>(work: (t: Treasury) => Promise<T>): Promise<void> {
  const t = await openTreasury();
  try {
    await work(t);
  } catch (err) {
    const e = err as Error & { code?: string };
    process.stderr.write(`error${e.code ? ` ${e.code}` : ''}: ${e.message}\n`);
    process.exitCode = 1;
  } finally {
    await t.close();
  }
}

async function exportFiles(t: Treasury, batches: BatchRow[], out: string): Promise<void> {
  await mkdir(out, { recursive: true });
  const total = batches.reduce((s, b) => s + b.paymentCount, 0);
  const b = bar('payments written', total);
  try {
    for (const batch of batches) {
      const file = join(out, `${batch.messageId}.${batch.channel === 'bank' ? 'xml' : 'csv'}`);
      const stream = createWriteStream(file);
      // The same path as the HTTP download: national scope, every recipient's read audited first.
      const opened = await t.payments.openBatchFile(principal(), batch.id);
      const r = await t.payments.writeBatchFile(opened, stream, (n) => b.increment(n));
      stream.end();
      await once(stream, 'finish');
      process.stdout.write(`${file}\t${batch.channel}${batch.mfo ? ` МФО ${batch.mfo}` : ''}\t${r.count} payments\t${uah(r.sumKopiyky)}\n`);
    }
  } finally {
    b.stop();
  }
}

export function buildCli(): Command {
  const program = new Command('treasury').description('ЄІССС social treasury: payrolls, bank files, statements');
  const payroll = program.command('payroll').description('monthly payrolls');

  payroll
    .command('run')
    .requiredOption('--programme <code>', 'programme code, e.g. idp-living-allowance')
    .requiredOption('--month <YYYY-MM>', 'month to accrue')
    .option('--request-id <id>', 'client request id (a retry returns the same payroll)')
    .action((o: { programme: string; month: string; requestId?: string }) =>
      withTreasury(async (t) => {
        if (!/^[0-9]{4}-(0[1-9]|1[0-2])$/.test(o.month))
          throw Object.assign(new Error(`--month must be YYYY-MM, got ${o.month}`), { code: 'VALIDATION_FAILED' });
        const b = bar('accrual', 1);
        const started = Date.now();
        const p = await t.payrolls.run(principal(), { programmeCode: o.programme, month: o.month, clientRequestId: o.requestId });
        b.update(1);
        b.stop();
        process.stdout.write(
          `payroll ${p.id} ${p.programmeCode} ${p.month}: ${p.status}\n  lines ${p.lineCount}\n  accrued ${uah(p.accruedKopiyky)}\n  arrears ${uah(p.arrearsKopiyky)}\n` +
            `  deductions ${uah(p.deductionsKopiyky)}\n  total ${uah(p.totalKopiyky)}\n  (${Date.now() - started} ms; submitted to e-budget for the funds check)\n`,
        );
      }),
    );

  payroll
    .command('status')
    .option('--id <payrollId>')
    .option('--programme <code>')
    .option('--month <YYYY-MM>')
    .action((o: { id?: string; programme?: string; month?: string }) =>
      withTreasury(async (t) => {
        const rows = o.id
          ? [await t.payrolls.get(principal(), o.id)]
          : (await t.payrolls.list(principal(), { programmeCode: o.programme, month: o.month, limit: 100, offset: 0 })).items;
        for (const p of rows) {
          process.stdout.write(
            `${p.id}\t${p.programmeCode}\t${p.month}\t${p.status}\t${p.lineCount} lines\t${uah(p.totalKopiyky)}${p.holdReason ? `\tHELD ${p.holdReasonCode}: ${p.holdReason}` : ''}\n`,
          );
          if (p.awaitingAccountCount > 0)
            process.stdout.write(`  ${p.awaitingAccountCount} lines await an approved account (paid by the next export once it arrives)\n`);
          if (o.id)
            for (const b of await t.payments.batches(principal(), p.id))
              process.stdout.write(
                `  batch ${b.messageId}\t${b.channel}${b.mfo ? ` ${b.mfo}` : ''}\t${b.paymentCount}\t${uah(b.totalKopiyky)}\n`,
              );
        }
      }),
    );

  program
    .command('bank-file')
    .description('payment files')
    .command('export')
    .requiredOption('--payroll <id>', 'approved payroll')
    .requiredOption('--out <dir>', 'directory for the files')
    .option('--all', 'also rewrite files of batches exported before')
    .action((o: { payroll: string; out: string; all?: boolean }) =>
      withTreasury(async (t) => {
        const created = await t.payrolls.exportBatches(principal(), o.payroll);
        const batches = o.all ? await t.payments.batches(principal(), o.payroll) : created;
        if (batches.length === 0) process.stdout.write('nothing pending to send\n');
        await exportFiles(t, batches, o.out);
      }),
    );

  program
    .command('statement')
    .description('bank statements')
    .command('import')
    .argument('<files...>', 'camt.053 / camt.054 XML files')
    .action((files: string[]) =>
      withTreasury(async (t) => {
        const b = bar('statements', files.length);
        try {
          for (const f of files) {
            const r = await t.payments.importStatement(principal(), await readFile(f, 'utf8'));
            b.increment(1);
            process.stdout.write(
              `${f}\t${r.kind} ${r.messageId}${r.duplicate ? ' (already imported)' : ''}\tsettled ${r.settledCount}\treturned ${r.returnedCount}\tunmatched ${r.unmatchedCount}` +
                `${r.pendingApprovalCount ? `\treturns of settled payments awaiting a second person ${r.pendingApprovalCount} (GET /approvals)` : ''}\n`,
            );
          }
        } finally {
          b.stop();
        }
      }),
    );
  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
