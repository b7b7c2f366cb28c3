import type { Role, ServiceName } from '@eisss/contracts';
import type { Principal } from '@eisss/platform';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './repo';
import { signTestToken } from './test-keys';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A token of the test identity provider (RS256, every service in `aud`, one hour) for the principal; services get its keys from TestEnvironment.env(). */
export function tokenFor(principal: Partial<Principal> & { roles: Role[] }): string {
  return signTestToken({
    sub: principal.id ?? 'test-officer',
    territory: principal.territory ?? 'UA',
    roles: principal.roles,
    personId: principal.personId,
  });
}

/** A service running as its own OS process from its built `dist/main.js`, as in production. */
export class ServiceProcess {
  private output = '';
  private exited?: Promise<number | null>;

  private constructor(
    readonly service: ServiceName,
    readonly url: string,
    private child: ChildProcess,
  ) {
    this.attach(child);
  }

  private attach(child: ChildProcess) {
    this.child = child;
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(service: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
    const port = await freePort();
    const child = ServiceProcess.spawnChild(service, { ...env, PORT: String(port), HOST: '127.0.0.1' });
    const proc = new ServiceProcess(service, `http://127.0.0.1:${port}`, child);
    await proc.waitReady();
    return proc;
  }

  private static spawnChild(service: ServiceName, env: Record<string, string>): ChildProcess {
    return spawn(process.execPath, [join(REPO_ROOT, 'services', service, 'dist', 'main.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  async waitReady(timeoutMs = 45000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited?.then((c) => (exitCode = c));
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`${this.service} exited with ${exitCode} before ready:\n${this.output.slice(-4000)}`);
      try {
        const res = await fetch(`${this.url}/health/ready`);
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.service} not ready within ${timeoutMs} ms:\n${this.output.slice(-4000)}`);
  }

  logs(): string {
    return this.output;
  }

  /** Graceful stop (SIGTERM), as Kubernetes does. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    return this.exited!;
  }

  /** Abrupt death (SIGKILL): nothing is flushed. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: body as T, headers: res.headers };
  }
}
