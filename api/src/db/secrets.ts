/**
 * Server-wide secrets kept in the database, so every restart and every instance signs
 * and verifies with the same key. The first process to ask creates the secret.
 */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';

export async function serverSecret(orm: MikroORM, name: string): Promise<Buffer> {
  const conn = orm.em.getConnection();
  await conn.execute(
    'insert into "server_secret" ("name", "value") values (?, ?) on conflict ("name") do nothing',
    [name, randomBytes(32).toString('base64')],
  );
  const rows = await conn.execute<{ value: string }[]>('select "value" from "server_secret" where "name" = ?', [name]);
  const value = rows[0]?.value;
  if (!value) throw new Error(`server secret ${name} could not be read`);
  return Buffer.from(value, 'base64');
}

/**
 * Records that a process started now and returns when the one before it started (null
 * on the first start): a restarted hub honours only the resume tokens of that run. Kept
 * beside the secrets (same table, its own name) so no migration is needed.
 */
export async function recordBoot(orm: MikroORM, now: number): Promise<number | null> {
  const conn = orm.em.getConnection();
  const rows = await conn.execute<{ value: string }[]>('select "value" from "server_secret" where "name" = ?', ['boot']);
  await conn.execute(
    'insert into "server_secret" ("name", "value") values (?, ?) on conflict ("name") do update set "value" = excluded."value"',
    ['boot', String(now)],
  );
  const previous = Number(rows[0]?.value);
  return Number.isFinite(previous) && previous > 0 ? previous : null;
}
