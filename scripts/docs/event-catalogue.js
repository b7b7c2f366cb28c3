#!/usr/bin/env node
/**
 * Prints the event catalogue as a Markdown table (topic, key, consumers, meaning, payload fields),
 * from the built contracts. README.md's catalogue section is this output:
 *   npx tsc -b libs/contracts/tsconfig.json && node scripts/docs/event-catalogue.js
 */
const { EventCatalogue } = require('../../libs/contracts/dist');

const fields = (schema) => Object.keys(schema.properties ?? {}).join(', ');
const rows = EventCatalogue.map(
  (c) =>
    `| \`${c.topic}\` | ${c.key} | ${c.consumers.length ? c.consumers.join(', ') : '—'} | ${c.description} Payload: ${fields(c.payload)} |`,
);
process.stdout.write(['| topic | key | consumers | meaning and payload |', '|---|---|---|---|', ...rows].join('\n') + '\n');
