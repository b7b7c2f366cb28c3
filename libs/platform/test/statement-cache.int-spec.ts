import { TestEnvironment } from '@eisss/testing';
import { DataSource } from 'typeorm';
import { StatementCachingClient, statementName } from '../src/db/statement-cache';

/** The pool's client against a real Postgres: parameterised statements prepared once per connection. */
describe(StatementCachingClient.name, () => {
  const schema = 'social_processing';
  let env: TestEnvironment;
  let ds: DataSource;

  beforeAll(async () => {
    env = await TestEnvironment.create({ topics: false });
    ds = new DataSource({
      type: 'postgres',
      url: env.databaseUrl('social-processing'),
      schema,
      poolSize: 1,
      extra: { Client: StatementCachingClient },
    });
    await ds.initialize();
    await ds.query(`CREATE TABLE ${schema}.cache_notes (id int PRIMARY KEY, note text)`);
  });

  afterAll(async () => {
    await ds?.destroy();
    await env?.destroy();
  });

  const prepared = async () => ((await ds.query(`SELECT name FROM pg_prepared_statements`)) as { name: string }[]).map((r) => r.name);

  it('prepares a statement with parameters once and runs it again by its name', async () => {
    const insert = `INSERT INTO ${schema}.cache_notes (id, note) VALUES ($1, $2) RETURNING id`;
    expect(await ds.query(insert, [1, 'перша'])).toEqual([{ id: 1 }]);
    expect(await ds.query(insert, [2, 'друга'])).toEqual([{ id: 2 }]);
    const names = await prepared();
    expect(names.filter((n) => n === statementName(insert))).toHaveLength(1);
    // A statement without parameters is not prepared.
    await ds.query(`SELECT count(*) FROM ${schema}.cache_notes`);
    expect((await prepared()).length).toBe(names.length);
  });

  it('answers the same rows and errors as an unprepared statement', async () => {
    const select = `SELECT id, note FROM ${schema}.cache_notes WHERE id = ANY($1::int[]) ORDER BY id`;
    expect(await ds.query(select, [[1, 2]])).toEqual([
      { id: 1, note: 'перша' },
      { id: 2, note: 'друга' },
    ]);
    await expect(ds.query(`INSERT INTO ${schema}.cache_notes (id, note) VALUES ($1, $2)`, [1, 'знову'])).rejects.toMatchObject({
      code: '23505',
    });
  });

  it('runs a statement unnamed after a schema change made its prepared plan stale', async () => {
    const star = `SELECT * FROM ${schema}.cache_notes WHERE id = $1`;
    expect(await ds.query(star, [1])).toEqual([{ id: 1, note: 'перша' }]);
    await ds.query(`ALTER TABLE ${schema}.cache_notes ADD COLUMN added int`);
    // Postgres refuses the stale plan once (0A000); from then on the text runs unnamed.
    await expect(ds.query(star, [1])).rejects.toMatchObject({ code: '0A000' });
    expect(await ds.query(star, [1])).toEqual([{ id: 1, note: 'перша', added: null }]);
  });
});
