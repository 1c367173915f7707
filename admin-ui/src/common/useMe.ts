import { useGetIdentity } from 'react-admin';
import { isDeskRole, type Role } from '../access.ts';
import type { Me } from '../authProvider.ts';

/** The logged-in user with the role helpers the pages branch on. */
export function useMe() {
  const { identity, isPending } = useGetIdentity();
  const me = identity as (Me & { fullName: string }) | undefined;
  const role = me?.role as Role | undefined;
  return { me, isPending, role, isDesk: isDeskRole(role), isPartner: !!role && !isDeskRole(role) };
}
