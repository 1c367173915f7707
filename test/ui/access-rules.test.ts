import { describe, expect, it } from 'vitest';
import { roleCan, type Role } from '../../admin-ui/src/access.ts';

/**
 * The UI shows a button only to the roles the server lets through; otherwise a user meets a 403
 * after pressing it, or misses an action the server allows. The server side of this matrix is
 * checked route by route in test/api-security.test.ts.
 */
const SERVER: Array<{ resource: string; action: string; route: string; roles: Role[] }> = [
  { resource: 'stocks', action: 'adjust', route: 'POST /api/stocks/adjust', roles: ['DESK_ADMIN'] },
  { resource: 'users', action: 'impersonate', route: 'POST /api/auth/impersonate', roles: ['DESK_AGENT', 'DESK_ADMIN'] },
  { resource: 'users', action: 'create', route: 'POST /api/users', roles: ['PARTNER_ADMIN', 'DESK_ADMIN'] },
  { resource: 'users', action: 'list', route: 'GET /api/users', roles: ['PARTNER_ADMIN', 'DESK_AGENT', 'DESK_ADMIN'] },
  { resource: 'companies', action: 'create', route: 'POST /api/companies', roles: ['DESK_ADMIN'] },
  { resource: 'products', action: 'edit', route: 'PUT /api/products/:id', roles: ['DESK_ADMIN'] },
  { resource: 'signing-keys', action: 'rotate', route: 'POST /api/signing-keys/rotate', roles: ['DESK_ADMIN'] },
  { resource: 'requests', action: 'create', route: 'POST /api/requests', roles: ['PARTNER_USER', 'PARTNER_ADMIN'] },
  { resource: 'requests', action: 'approve', route: 'POST /api/requests/:id/approve', roles: ['DESK_AGENT', 'DESK_ADMIN'] },
  { resource: 'requests', action: 'consent', route: 'POST /api/requests/:id/consent', roles: ['PARTNER_ADMIN'] },
  { resource: 'requests', action: 'external-file', route: 'POST /api/requests/:id/external-file', roles: ['DESK_AGENT', 'DESK_ADMIN'] },
  { resource: 'outbox', action: 'resend', route: 'POST /api/outbox/:id/resend', roles: ['DESK_AGENT', 'DESK_ADMIN'] },
  { resource: 'api-tokens', action: 'create', route: 'POST /api/api-tokens', roles: ['PARTNER_ADMIN'] },
];

const ROLES: Role[] = ['PARTNER_USER', 'PARTNER_ADMIN', 'DESK_AGENT', 'DESK_ADMIN'];

describe('the UI role table agrees with the server', () => {
  it.each(SERVER)('$resource.$action is offered to exactly the roles $route lets through', ({ resource, action, roles }) => {
    expect(ROLES.filter((role) => roleCan(role, resource, action))).toEqual(roles);
  });
});
