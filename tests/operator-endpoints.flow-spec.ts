import { ServiceProcess, TestEnvironment, freePort } from '@eisss/testing';

/**
 * Docs and metrics are for operators (issue 10, item 7): with a management port they are served
 * there and not on the service port; readiness says up or down, never why (no internal error text).
 */
describe('operator endpoints', () => {
  let env: TestEnvironment;
  let svc: ServiceProcess;
  let mgmtPort: number;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    mgmtPort = await freePort();
    svc = await ServiceProcess.start('e-budget', env.env('e-budget', { MANAGEMENT_PORT: String(mgmtPort), API_DOCS: 'true' }));
  });
  afterAll(async () => {
    await svc?.stop();
    await env?.destroy();
  });

  const mgmt = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${mgmtPort}${path}`);
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
  };

  it('serves /metrics and the OpenAPI documents on the management port only', async () => {
    for (const path of ['/metrics', '/docs-json', '/docs', '/docs/'])
      expect({ path, status: (await svc.request('GET', path)).status }).toEqual({ path, status: 404 });
    const metrics = await mgmt('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^# HELP /m);
    const docs = await mgmt('/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(JSON.parse(docs.text).paths)).toEqual(expect.arrayContaining(['/programmes']));
    expect((await mgmt('/docs')).type).toMatch(/text\/html/);
  });

  it('answers readiness with up or down per check and no error text, on both ports', async () => {
    const onService = await svc.request('GET', '/health/ready');
    expect(onService.status).toBe(200);
    expect(onService.body).toEqual({
      status: 'up',
      checks: { database: { status: 'up' }, kafka: { status: 'up' }, messaging: { status: 'up' } },
    });
    const onMgmt = await mgmt('/health/ready');
    expect(onMgmt.status).toBe(200);
    expect(JSON.parse(onMgmt.text)).toEqual(onService.body);
  });
});
