import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The shape rules of ARCHITECTURE.md, checked on the source: a service imports only libs (never
 * another service), contracts import no NestJS and no other lib, libs never import services, and
 * Nx project tags say the same.
 */
const ROOT = join(__dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const services = readdirSync(join(ROOT, 'services'));

describe('module boundaries', () => {
  it.each(services)('%s imports no other service when its sources are scanned', (svc) => {
    const offenders: string[] = [];
    for (const f of files(join(ROOT, 'services', svc))) {
      for (const spec of imports(f)) {
        const crossesRelative = spec.startsWith('.') && !join(f, '..', spec).startsWith(join(ROOT, 'services', svc));
        const namesOther = services.some(
          (other) => other !== svc && (spec.includes(`services/${other}`) || spec.startsWith(`@eisss/${other}`)),
        );
        if (crossesRelative || namesOther) offenders.push(`${relative(ROOT, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps libs/contracts free of NestJS, TypeORM and the other libs', () => {
    const offenders = files(join(ROOT, 'libs/contracts/src'))
      .filter((f) => !f.endsWith('.spec.ts'))
      .flatMap((f) =>
        imports(f)
          .filter((s) => /^@nestjs|^typeorm|^@eisss\//.test(s))
          .map((s) => `${relative(ROOT, f)} → ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('keeps libs from importing services', () => {
    const offenders = ['contracts', 'platform', 'testing'].flatMap((lib) =>
      files(join(ROOT, 'libs', lib)).flatMap((f) =>
        imports(f)
          .filter((s) => /services\//.test(s))
          .map((s) => `${relative(ROOT, f)} → ${s}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('tags every Nx project with its type and scope', () => {
    for (const svc of services) {
      const project = JSON.parse(readFileSync(join(ROOT, 'services', svc, 'project.json'), 'utf8'));
      expect(project.tags).toEqual(expect.arrayContaining(['type:service', `scope:${svc}`]));
    }
    for (const lib of ['contracts', 'platform', 'testing']) {
      const project = JSON.parse(readFileSync(join(ROOT, 'libs', lib, 'project.json'), 'utf8'));
      expect(project.tags).toEqual(expect.arrayContaining(['type:lib']));
    }
  });

  it('never lets Nx reach a cloud service', () => {
    const nx = JSON.parse(readFileSync(join(ROOT, 'nx.json'), 'utf8'));
    expect(nx.neverConnectToCloud).toBe(true);
    expect(nx.nxCloudAccessToken).toBeUndefined();
  });
});
