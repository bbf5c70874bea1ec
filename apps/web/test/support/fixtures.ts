// Users and rows each test creates for itself (never the seed's), through the stack's superuser SQL.
import { randomUUID } from 'node:crypto';
import type { LocalSupabase } from '@mentora/db/testing';

export interface TestUser {
  userId: string;
  token: string;
  creatorId?: string;
  membershipId?: string;
}

type Plan = 'basic' | 'pro' | 'enterprise';

/** A creator (may upload videos) enrolled as a student of their own course with a Whop membership. */
export async function createCreator(stack: LocalSupabase, plan: Plan = 'basic'): Promise<Required<TestUser>> {
  const userId = randomUUID();
  const creatorId = randomUUID();
  const membershipId = `mem_${randomUUID().replaceAll('-', '')}`;
  await stack.runSql(
    `insert into public.creators (id, user_id, name, email, plan)
       values ('${creatorId}', '${userId}', 'Test Creator', 'creator-${userId}@example.com', '${plan}');
     insert into public.students (user_id, creator_id, name, email, plan, whop_membership_id)
       values ('${userId}', '${creatorId}', 'Test Creator', 'creator-${userId}@example.com', '${plan}', '${membershipId}');`,
    'test creator',
  );
  return { userId, creatorId, membershipId, token: await stack.signUserToken(userId) };
}

/** A signed-in user with no rows at all (a visitor on the basic plan). */
export async function createVisitor(stack: LocalSupabase): Promise<TestUser> {
  const userId = randomUUID();
  return { userId, token: await stack.signUserToken(userId) };
}
