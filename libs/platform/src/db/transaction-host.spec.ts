import type { DataSource } from 'typeorm';
import { TransactionHost } from './transaction-host';

/** A host over a fake pool: records the statements and answers `rows`. */
function hostAnswering(rows: unknown[]): { host: TransactionHost; query: jest.Mock } {
  const query = jest.fn().mockResolvedValue(rows);
  const dataSource = { manager: { query } } as unknown as DataSource;
  return { host: new TransactionHost(dataSource), query };
}

const COUNT = 'SELECT count(*)::int AS total FROM thing WHERE status = $1';

describe('TransactionHost.total', () => {
  it('runs the count when the page asks for a total, or does not say', async () => {
    const { host, query } = hostAnswering([{ total: 7 }]);
    await expect(host.total({ limit: 10, offset: 0 }, COUNT, ['open'])).resolves.toBe(7);
    await expect(host.total({ limit: 10, offset: 0, withTotal: true }, COUNT, ['open'])).resolves.toBe(7);
    expect(query).toHaveBeenCalledTimes(2);
    expect(query).toHaveBeenCalledWith(COUNT, ['open']);
  });

  it('skips the count and answers null when the page is asked without a total', async () => {
    const { host, query } = hostAnswering([{ total: 7 }]);
    await expect(host.total({ limit: 10, offset: 0, withTotal: false }, COUNT, ['open'])).resolves.toBeNull();
    expect(query).not.toHaveBeenCalled();
  });

  it('answers a number also when the driver returns the count as text (bigint count(*))', async () => {
    const { host } = hostAnswering([{ total: '12' }]);
    await expect(host.total({ limit: 1, offset: 0 }, 'SELECT count(*) AS total FROM thing')).resolves.toBe(12);
  });

  it('never touches the database on a database-less host when the total is skipped', async () => {
    await expect(TransactionHost.withoutDatabase().total({ limit: 1, offset: 0, withTotal: false }, COUNT)).resolves.toBeNull();
  });
});

describe('TransactionHost.query and execute', () => {
  it('answers the rows of an UPDATE … RETURNING, which the driver gives as [rows, affected count]', async () => {
    const { host } = hostAnswering([[{ id: 'a' }, { id: 'b' }], 2]);
    await expect(host.query('UPDATE thing SET x = 1 RETURNING id')).resolves.toEqual([{ id: 'a' }, { id: 'b' }]);
    await expect(host.one('UPDATE thing SET x = 1 RETURNING id')).resolves.toEqual({ id: 'a' });
  });

  it('answers the rows of a SELECT as they are, two rows included', async () => {
    const { host } = hostAnswering([{ n: 1 }, { n: 2 }]);
    await expect(host.query('SELECT n FROM thing')).resolves.toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('execute answers the rows an UPDATE or DELETE touched', async () => {
    await expect(hostAnswering([[], 3]).host.execute('DELETE FROM thing')).resolves.toBe(3);
    await expect(hostAnswering([]).host.execute('INSERT INTO thing VALUES (1)')).resolves.toBe(0);
  });
});
