import { ROLES, ServiceNames } from '@eisss/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The development realm of the local Keycloak (scripts/infra/keycloak.sh) agrees with the platform's roles and claims. */
interface Mapper {
  name: string;
  protocolMapper: string;
  config: Record<string, string>;
}
interface Client {
  clientId: string;
  publicClient: boolean;
  fullScopeAllowed: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  standardFlowEnabled: boolean;
  attributes: Record<string, string>;
  protocolMappers: Mapper[];
}
interface User {
  username: string;
  firstName?: string;
  lastName?: string;
  realmRoles: string[];
  attributes?: Record<string, string[]>;
  serviceAccountClientId?: string;
  credentials?: { type: string; value: string; temporary: boolean }[];
}
interface Realm {
  realm: string;
  roles: { realm: { name: string }[] };
  clients: Client[];
  scopeMappings: { client: string; roles: string[] }[];
  users: User[];
  components: Record<string, { providerId: string; config: Record<string, string[]> }[]>;
}

const realm: Realm = JSON.parse(readFileSync(join(__dirname, '..', 'scripts/infra/keycloak/eisss-realm.json'), 'utf8'));
const client = (id: string) => realm.clients.find((c) => c.clientId === id)!;
const user = (name: string) => realm.users.find((u) => u.username === name)!;
const FRONTENDS = ['diia-gateway', 'cnap-desk', 'social-worker-desk'];

describe('the eisss development realm', () => {
  it('has exactly the roles of @eisss/contracts as realm roles', () => {
    expect(realm.realm).toBe('eisss');
    expect(realm.roles.realm.map((r) => r.name).sort()).toEqual([...ROLES].sort());
  });

  it('gives every client the roles, territory, personId and audience mappers, and only the realm roles it scopes', () => {
    for (const c of realm.clients) {
      // Without full scope only the scoped roles reach the token (not Keycloak's default-roles-eisss or offline_access).
      expect({ client: c.clientId, fullScopeAllowed: c.fullScopeAllowed }).toEqual({ client: c.clientId, fullScopeAllowed: false });
      const byName = Object.fromEntries(c.protocolMappers.map((m) => [m.name, m]));
      expect(byName.roles).toMatchObject({
        protocolMapper: 'oidc-usermodel-realm-role-mapper',
        config: { 'claim.name': 'roles', multivalued: 'true', 'access.token.claim': 'true' },
      });
      expect(byName.territory).toMatchObject({
        protocolMapper: 'oidc-usermodel-attribute-mapper',
        config: { 'user.attribute': 'territory', 'claim.name': 'territory', 'access.token.claim': 'true' },
      });
      expect(byName.personId).toMatchObject({
        protocolMapper: 'oidc-usermodel-attribute-mapper',
        config: { 'user.attribute': 'personId', 'claim.name': 'personId' },
      });
      const audiences = c.protocolMappers
        .filter((m) => m.protocolMapper === 'oidc-audience-mapper' && m.config['access.token.claim'] === 'true')
        .map((m) => m.config['included.custom.audience']);
      expect(audiences.sort()).toEqual([...ServiceNames].sort());
    }
    for (const m of realm.scopeMappings) {
      expect(realm.clients.map((c) => c.clientId)).toContain(m.client);
      for (const r of m.roles) expect(ROLES).toContain(r);
    }
  });

  it('has the three frontends (code flow with PKCE, no password grant) and a confidential service-to-service client whose service account is system', () => {
    for (const id of FRONTENDS) {
      expect(client(id)).toMatchObject({
        standardFlowEnabled: true,
        directAccessGrantsEnabled: false,
        serviceAccountsEnabled: false,
        attributes: { 'pkce.code.challenge.method': 'S256' },
      });
    }
    expect(realm.scopeMappings.find((m) => m.client === 'diia-gateway')?.roles).toEqual(['citizen']);
    expect(client('eisss-services')).toMatchObject({
      publicClient: false,
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
    });
    expect(realm.scopeMappings.find((m) => m.client === 'eisss-services')?.roles).toEqual(['system']);
    expect(realm.users.find((u) => u.serviceAccountClientId === 'eisss-services')).toMatchObject({
      realmRoles: ['system'],
      attributes: { territory: ['UA'] },
    });
    // Only the development CLI may log in with a password (npm run token, the Keycloak flow test).
    expect(realm.clients.filter((c) => c.directAccessGrantsEnabled).map((c) => c.clientId)).toEqual(['eisss-dev-cli']);
  });

  it('has a test user per role and oblast (UA46 Lviv, UA80 Kyiv) with a valid territory and one known role', () => {
    for (const role of ROLES.filter((r) => r !== 'system')) {
      for (const territory of ['UA46', 'UA80']) {
        expect(user(`${role}-${territory.toLowerCase()}`)).toMatchObject({ realmRoles: [role], attributes: { territory: [territory] } });
      }
    }
    for (const u of realm.users) {
      for (const r of u.realmRoles) expect(ROLES).toContain(r);
      expect(u.attributes?.territory?.[0]).toMatch(/^UA[0-9]{0,17}$/);
      for (const c of u.credentials ?? []) expect(c.value).toMatch(/^dev-only-/);
      // A name Keycloak's user profile refuses (brackets, digits…) makes the account "not fully set up": no login.
      for (const name of [u.firstName, u.lastName])
        if (name !== undefined) expect(`${u.username}: ${name}`).toMatch(/^[^:]+: [\p{L} .'-]+$/u);
    }
  });

  it('declares territory and personId in the user profile, so Keycloak keeps and shows them', () => {
    const [profile] = realm.components['org.keycloak.userprofile.UserProfileProvider'];
    const config = JSON.parse(profile.config['kc.user.profile.config'][0]) as {
      attributes: { name: string; permissions: { edit: string[] } }[];
    };
    const territory = config.attributes.find((a) => a.name === 'territory');
    expect(territory?.permissions.edit).toEqual(['admin']);
    expect(config.attributes.map((a) => a.name)).toEqual(expect.arrayContaining(['username', 'territory', 'personId']));
  });
});
