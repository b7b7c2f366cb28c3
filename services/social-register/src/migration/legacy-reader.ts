import { parse } from 'csv-parse';
import { decode, decodeStream } from 'iconv-lite';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LEGACY_COMMON_COLUMNS, LEGACY_FILE_COLUMNS, type ImportEntity } from '@eisss/contracts';
import type { ParsedRow } from './legacy-format';

/** The encodings of docs/migration.md (iconv names). */
export const ENCODINGS = { utf8: 'utf8', cp1251: 'win1251', cp866: 'cp866' } as const;
export type LegacyEncoding = keyof typeof ENCODINGS;

export class LegacyFileError extends Error {
  constructor(
    readonly code: 'FILE_UNREADABLE' | 'HEADER_INVALID' | 'ENCODING_UNKNOWN',
    message: string,
    readonly field: string = 'file',
  ) {
    super(message);
    this.name = 'LegacyFileError';
  }
}

const SAMPLE = 256 * 1024;

async function head(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** The file's bytes after gunzip (when its first bytes say gzip). */
function rawStream(path: string, gzip: boolean): Readable {
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  if (!gzip) return file;
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  return file.pipe(gunzip);
}

/** SHA-256 of the file as stored (what identifies a job: the same file imports once). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The first 256 KiB of the file's content (decompressed). */
async function sampleOf(path: string, gzip: boolean): Promise<Buffer> {
  let sample: Buffer;
  if (gzip) {
    const parts: Buffer[] = [];
    let size = 0;
    const s = rawStream(path, true);
    for await (const c of s) {
      parts.push(c as Buffer);
      size += (c as Buffer).length;
      if (size >= SAMPLE) break;
    }
    s.destroy();
    sample = Buffer.concat(parts).subarray(0, SAMPLE);
  } else sample = await head(path, SAMPLE);
  return sample;
}

/** UTF-8 unless the sample is not valid UTF-8: then CP1251 (the legacy systems' usual one). */
function detectEncoding(sample: Buffer): LegacyEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  // A multibyte character cut by the sample's end is not an error: drop up to 3 trailing bytes.
  for (let cut = 0; cut <= 3; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
      return 'utf8';
    } catch {
      /* try a shorter sample */
    }
  }
  return 'cp1251';
}

export interface LegacyFile {
  path: string;
  encoding: LegacyEncoding;
  gzip: boolean;
  format: 'csv' | 'jsonl';
  /** The CSV delimiter, from the header line. */
  delimiter: ';' | ',';
}

/** Looks at a file: gzip, encoding (given or detected) and CSV or JSON Lines. */
export async function inspectLegacyFile(path: string, encoding?: string): Promise<LegacyFile> {
  let first: Buffer;
  try {
    first = await head(path, 4);
  } catch (err) {
    throw new LegacyFileError('FILE_UNREADABLE', `the file cannot be read: ${(err as Error).message}`);
  }
  if (encoding !== undefined && !(encoding in ENCODINGS))
    throw new LegacyFileError('ENCODING_UNKNOWN', `encoding must be one of ${Object.keys(ENCODINGS).join(', ')}`, 'encoding');
  const gzip = isGzip(first);
  const sample = await sampleOf(path, gzip);
  const enc = (encoding as LegacyEncoding | undefined) ?? detectEncoding(sample);
  const format = /\.jsonl?(\.gz)?$/i.test(path) ? 'jsonl' : 'csv';
  const headerLine = decode(sample.subarray(0, 4096), ENCODINGS[enc]).split(/\r?\n/)[0] ?? '';
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) >= (headerLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  return { path, encoding: enc, gzip, format, delimiter };
}

/** The decoded text of the file, BOM removed. */
function textStream(f: LegacyFile): Readable {
  const raw = rawStream(f.path, f.gzip);
  const decoded = raw.pipe(decodeStream(ENCODINGS[f.encoding], { stripBOM: true }) as unknown as Writable & Readable);
  raw.on('error', (e) => decoded.destroy(e));
  return decoded;
}

function checkHeader(entity: ImportEntity, header: string[]): void {
  const missing = [...LEGACY_COMMON_COLUMNS, ...LEGACY_FILE_COLUMNS[entity]].filter((c) => !header.includes(c));
  // Optional columns may be absent; the required common ones and at least the entity's first must be present.
  const required = [...LEGACY_COMMON_COLUMNS, LEGACY_FILE_COLUMNS[entity][0]!];
  const absent = required.filter((c) => missing.includes(c));
  if (absent.length > 0)
    throw new LegacyFileError('HEADER_INVALID', `the header of a ${entity} file lacks ${absent.join(', ')} (docs/migration.md)`, 'header');
}

/**
 * The rows of a legacy file, streamed: gunzip → decode → CSV (delimiter `;` or `,` from the header) or
 * JSON Lines. A row with a wrong number of fields or that is not a JSON object comes with `malformed`
 * set (its values empty); line numbers count the header as line 1.
 */
export async function* readLegacyRows(f: LegacyFile, entity: ImportEntity): AsyncGenerator<ParsedRow> {
  if (f.format === 'jsonl') {
    yield* readJsonLines(f, entity);
    return;
  }
  const text = textStream(f);
  let header: string[] | null = null;
  const parser = parse({
    delimiter: f.delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    bom: true,
  });
  text.on('error', (e) => parser.destroy(e));
  text.pipe(parser);
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (header === null) {
      header = item.record.map((h) => h.trim().toLowerCase());
      checkHeader(entity, header);
      continue;
    }
    const values: Record<string, string | undefined> = {};
    const malformed =
      item.record.length !== header.length
        ? `the row has ${item.record.length} fields, the header ${header.length} (delimiter ${JSON.stringify(f.delimiter)})`
        : null;
    if (!malformed) header.forEach((h, i) => (values[h] = item.record[i]));
    else {
      // The row's identity, when it can be read, still names the reject.
      values.source_system = item.record[header.indexOf('source_system')];
      values.legacy_id = item.record[header.indexOf('legacy_id')];
    }
    yield { line: item.info.lines, values, malformed };
  }
}

async function* readJsonLines(f: LegacyFile, entity: ImportEntity): AsyncGenerator<ParsedRow> {
  const lines = createInterface({ input: textStream(f), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      yield { line, values: {}, malformed: 'the line is not a JSON object' };
      continue;
    }
    const values: Record<string, string | undefined> = {};
    for (const c of [...LEGACY_COMMON_COLUMNS, ...LEGACY_FILE_COLUMNS[entity]]) {
      const x = (parsed as Record<string, unknown>)[c];
      values[c] = x === null || x === undefined ? undefined : typeof x === 'object' ? JSON.stringify(x) : String(x);
    }
    yield { line, values, malformed: null };
  }
}
