import { PROGRAMMES } from '../rules/programmes';
import { formatUah, type ExplanationNode } from '../rules/rule-set';
import type { ApplicationRecord, DecisionRecord } from './applications.repository';

export interface Notice {
  applicationId: string;
  applicantPersonId: string;
  status: string;
  submittedOn: string;
  decisionDueOn: string;
  decidedOn: string | null;
  sections: { programmeCode: string; title: string; outcome: string; lines: string[] }[];
}

const OUTCOME_UK: Record<string, string> = {
  granted: 'призначено',
  refused: 'відмовлено',
  awaiting_verification: 'на перевірці',
  awaiting_officer: 'на розгляді фахівця',
  awaiting_approval: 'на затвердженні',
};

function value(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The explanation tree as indented lines: rule, outcome, legal reference, facts and parameters used. */
export function explanationLines(n: ExplanationNode, depth = 0, out: string[] = []): string[] {
  const pad = '  '.repeat(depth);
  const amount = n.amountKopiyky !== undefined ? ` = ${formatUah(BigInt(n.amountKopiyky))}` : '';
  out.push(`${pad}[${n.outcome}] ${n.rule}${n.period ? ` ${n.period}` : ''}: ${n.title}${amount}${n.legalRef ? ` (${n.legalRef})` : ''}`);
  const facts = Object.entries(n.facts).filter(([, v]) => !(Array.isArray(v) && v.length > 5));
  if (facts.length) out.push(`${pad}  facts: ${facts.map(([k, v]) => `${k}=${value(v)}`).join('; ')}`);
  if (n.parameters.length)
    out.push(`${pad}  parameters: ${n.parameters.map((p) => `${p.key}=${p.value} from ${p.effectiveFrom} (${p.source})`).join('; ')}`);
  for (const c of n.children ?? []) explanationLines(c, depth + 1, out);
  return out;
}

/** The notice of award or refusal: amount, term and reasons, then the explanation rule by rule. */
export function renderNotice(app: ApplicationRecord, decisions: DecisionRecord[]): Notice {
  return {
    applicationId: app.id,
    applicantPersonId: app.applicantPersonId,
    status: app.status,
    submittedOn: app.submittedOn,
    decisionDueOn: app.decisionDueOn,
    decidedOn: app.decidedOn,
    sections: decisions.map((d) => {
      const lines: string[] = [];
      const e = d.evaluation;
      lines.push(`Рішення: ${OUTCOME_UK[d.status] ?? d.status}${d.decidedOn ? ` (${d.decidedOn})` : ''}`);
      if (d.status === 'granted' && e) {
        const total = e.months.reduce((s, m) => s + BigInt(m.amountKopiyky), 0n);
        lines.push(`Строк: ${e.periodFrom} – ${e.periodTo}; усього ${formatUah(total)}`);
        for (const m of e.months) lines.push(`  ${m.month}: ${formatUah(BigInt(m.amountKopiyky))} — ${m.explanation}`);
      }
      for (const r of d.reasons) lines.push(`Підстава: ${r.code} — ${r.text}`);
      if (e) {
        lines.push('Пояснення:');
        explanationLines(e.explanation, 1, lines);
      }
      return { programmeCode: d.programmeCode, title: PROGRAMMES[d.programmeCode]?.title ?? d.programmeCode, outcome: d.status, lines };
    }),
  };
}
