import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { katottgPrefix, type TerritoryKind, type TerritoryRow } from './territory-list';

/** One validated row of an import, before it is written. */
export interface TerritoryImportRow {
  katottg: string;
  name: string | null;
  kind: TerritoryKind;
  startedOn: string;
  endedOn: string | null;
  /** Explicit inclusion date; when absent: kept from the current row of the code, else the order's date. */
  includedOn: string | null;
}

export interface TerritoryImportRecord {
  id: string;
  listVersion: number;
  sourceOrder: string;
  sourceOrderDate: string;
  sourceVersion: string | null;
  format: string;
  rowCount: number;
  requestedBy: string;
  approvedBy: string;
  dualControlRequestId: string | null;
  recalculation: Record<string, unknown>;
  importedAt: string;
}

/** A row of the list with its version history marker. */
export type TerritoryEntryRecord = TerritoryRow & { supersededBy: string | null; importedAt: string };

const ENTRY = `e.id, e.import_id, i.list_version, e.katottg, e.name, e.kind, to_char(e.started_on, 'YYYY-MM-DD') AS started_on,
  to_char(e.ended_on, 'YYYY-MM-DD') AS ended_on, to_char(e.included_on, 'YYYY-MM-DD') AS included_on, e.superseded_by,
  i.source_order, to_char(i.source_order_date, 'YYYY-MM-DD') AS source_order_date, i.source_version, i.imported_at`;

interface TerritoryEntryDbRow {
  id: string;
  import_id: string;
  list_version: number;
  katottg: string;
  name: string | null;
  kind: TerritoryKind;
  started_on: string;
  ended_on: string | null;
  included_on: string;
  source_order: string;
  source_order_date: string;
  source_version: string | null;
  superseded_by: string | null;
  imported_at: string | Date;
}

function toEntry(r: TerritoryEntryDbRow): TerritoryEntryRecord {
  return {
    entryId: r.id,
    importId: r.import_id,
    listVersion: r.list_version,
    katottg: r.katottg,
    name: r.name ?? null,
    kind: r.kind,
    startedOn: r.started_on,
    endedOn: r.ended_on ?? null,
    includedOn: r.included_on,
    source: {
      order: r.source_order,
      orderDate: r.source_order_date,
      version: r.source_version ?? null,
    },
    supersededBy: r.superseded_by ?? null,
    importedAt: new Date(r.imported_at).toISOString(),
  };
}

interface TerritoryImportDbRow {
  id: string;
  list_version: number;
  source_order: string;
  source_order_date: string;
  source_version: string | null;
  format: string;
  row_count: number;
  requested_by: string;
  approved_by: string;
  dual_control_request_id: string | null;
  recalculation: Record<string, unknown> | null;
  imported_at: string | Date;
}

function toImport(r: TerritoryImportDbRow): TerritoryImportRecord {
  return {
    id: r.id,
    listVersion: r.list_version,
    sourceOrder: r.source_order,
    sourceOrderDate: r.source_order_date,
    sourceVersion: r.source_version ?? null,
    format: r.format,
    rowCount: r.row_count,
    requestedBy: r.requested_by,
    approvedBy: r.approved_by,
    dualControlRequestId: r.dual_control_request_id ?? null,
    recalculation: r.recalculation ?? {},
    importedAt: new Date(r.imported_at).toISOString(),
  };
}

/** The codes whose rows cover a КАТОТТГ code: the code itself and each of its parents (oblast, raion, hromada, …). */
const coveringPrefixes = (katottg: string) => [2, 4, 7, 10, 12].map((l) => `UA${katottg.slice(2, 2 + l)}`);

/** A row in force, without what only history shows. */
const toCurrent = (row: TerritoryEntryDbRow): TerritoryRow => {
  const { supersededBy: _s, importedAt: _i, ...r } = toEntry(row);
  return r;
};

/** The list of territories: versions (imports) and rows; SQL only here. */
@Injectable()
export class TerritoriesRepository {
  constructor(private readonly db: TransactionHost) {}

  /** The rows in force (current version) whose code covers a КАТОТТГ code (the unit itself or a parent). */
  async currentCovering(katottg: string): Promise<TerritoryRow[]> {
    const prefixes = coveringPrefixes(katottg);
    const rows = await this.db.query<TerritoryEntryDbRow>(
      `SELECT ${ENTRY} FROM social_processing.territory_entry e JOIN social_processing.territory_import i ON i.id = e.import_id
        WHERE e.superseded_by IS NULL AND e.katottg_prefix = ANY($1) ORDER BY e.katottg, e.kind`,
      [prefixes],
    );
    return rows.map(toCurrent);
  }

  /** currentCovering and latestVersion in one statement (the facts of every IDP decision need both). */
  async currentCoveringWithVersion(katottg: string): Promise<{ rows: TerritoryRow[]; listVersion: number | null }> {
    const prefixes = coveringPrefixes(katottg);
    const rows = await this.db.query<TerritoryEntryDbRow & { latest_version: number | null }>(
      `SELECT ${ENTRY}, (SELECT max(list_version) FROM social_processing.territory_import) AS latest_version
         FROM social_processing.territory_entry e JOIN social_processing.territory_import i ON i.id = e.import_id
        WHERE e.superseded_by IS NULL AND e.katottg_prefix = ANY($1) ORDER BY e.katottg, e.kind`,
      [prefixes],
    );
    if (rows.length === 0) return { rows: [], listVersion: await this.latestVersion() };
    return {
      rows: rows.map(toCurrent),
      listVersion: rows[0]!.latest_version ?? null,
    };
  }

  /** Every version of the rows covering a code (history), newest import first. */
  async historyCovering(katottg: string): Promise<TerritoryEntryRecord[]> {
    const prefixes = coveringPrefixes(katottg);
    const rows = await this.db.query<TerritoryEntryDbRow>(
      `SELECT ${ENTRY} FROM social_processing.territory_entry e JOIN social_processing.territory_import i ON i.id = e.import_id
        WHERE e.katottg_prefix = ANY($1) ORDER BY i.list_version DESC, e.katottg, e.kind`,
      [prefixes],
    );
    return rows.map(toEntry);
  }

  async latestVersion(): Promise<number | null> {
    const r = await this.db.one<{ v: number | null }>(`SELECT max(list_version) AS v FROM social_processing.territory_import`);
    return r?.v ?? null;
  }

  /** The current inclusion dates of codes (to keep them when an import does not state one). */
  async currentIncludedOn(codes: string[]): Promise<Map<string, string>> {
    const rows = await this.db.query<{ katottg: string; included_on: string }>(
      `SELECT katottg, to_char(min(included_on), 'YYYY-MM-DD') AS included_on FROM social_processing.territory_entry WHERE superseded_by IS NULL AND katottg = ANY($1) GROUP BY katottg`,
      [codes],
    );
    return new Map(rows.map((r) => [r.katottg, r.included_on]));
  }

  /**
   * Writes a list version: locks the list (one import at a time), numbers the version, marks the current
   * rows of the imported codes and kinds as superseded and inserts the new rows. Returns the import.
   */
  async insertImport(input: {
    sourceOrder: string;
    sourceOrderDate: string;
    sourceVersion: string | null;
    format: 'csv' | 'json';
    rows: TerritoryImportRow[];
    requestedBy: string;
    approvedBy: string;
    dualControlRequestId: string | null;
  }): Promise<TerritoryImportRecord> {
    this.db.assertActive('importing a list of territories');
    await this.db.query(`LOCK TABLE social_processing.territory_import IN SHARE ROW EXCLUSIVE MODE`);
    const version = ((await this.latestVersion()) ?? 0) + 1;
    const id = randomUUID();
    const included = await this.currentIncludedOn([...new Set(input.rows.map((r) => r.katottg))]);
    await this.db.query(
      `INSERT INTO social_processing.territory_import (id, list_version, source_order, source_order_date, source_version, format, row_count, requested_by, approved_by, dual_control_request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        version,
        input.sourceOrder,
        input.sourceOrderDate,
        input.sourceVersion,
        input.format,
        input.rows.length,
        input.requestedBy,
        input.approvedBy,
        input.dualControlRequestId,
      ],
    );
    await this.db.query(
      `UPDATE social_processing.territory_entry e SET superseded_by = $1
         FROM unnest($2::text[], $3::text[]) AS x(katottg, kind)
        WHERE e.superseded_by IS NULL AND e.katottg = x.katottg AND e.kind = x.kind`,
      [id, input.rows.map((r) => r.katottg), input.rows.map((r) => r.kind)],
    );
    await this.db.query(
      `INSERT INTO social_processing.territory_entry (id, import_id, katottg, katottg_prefix, name, kind, started_on, ended_on, included_on)
       SELECT gen_random_uuid(), $1, x.katottg, x.prefix, x.name, x.kind, x.started_on::date, x.ended_on::date, x.included_on::date
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS x(katottg, prefix, name, kind, started_on, ended_on, included_on)`,
      [
        id,
        input.rows.map((r) => r.katottg),
        input.rows.map((r) => katottgPrefix(r.katottg)),
        input.rows.map((r) => r.name),
        input.rows.map((r) => r.kind),
        input.rows.map((r) => r.startedOn),
        input.rows.map((r) => r.endedOn),
        input.rows.map((r) => r.includedOn ?? included.get(r.katottg) ?? input.sourceOrderDate),
      ],
    );
    return (await this.findImport(id))!;
  }

  async saveRecalculation(importId: string, recalculation: Record<string, unknown>): Promise<void> {
    await this.db.query(`UPDATE social_processing.territory_import SET recalculation = $2 WHERE id = $1`, [
      importId,
      JSON.stringify(recalculation),
    ]);
  }

  async findImport(id: string): Promise<TerritoryImportRecord | null> {
    const rows = await this.db.query<TerritoryImportDbRow>(
      `SELECT *, to_char(source_order_date, 'YYYY-MM-DD') AS source_order_date FROM social_processing.territory_import WHERE id = $1`,
      [id],
    );
    return rows[0] ? toImport(rows[0]) : null;
  }

  async listImports(q: PageRequest): Promise<{ items: TerritoryImportRecord[]; total: number | null }> {
    const rows = await this.db.query<TerritoryImportDbRow>(
      `SELECT *, to_char(source_order_date, 'YYYY-MM-DD') AS source_order_date FROM social_processing.territory_import ORDER BY list_version DESC LIMIT $1 OFFSET $2`,
      [q.limit, q.offset],
    );
    const total = await this.db.total(q, `SELECT count(*)::int AS total FROM social_processing.territory_import`);
    return { items: rows.map(toImport), total };
  }
}
