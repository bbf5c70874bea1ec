// The worker's composition root: reads the environment once, validates it and builds the clients.
import { type Config, loadConfig } from '@mentora/config';
import { createSupabaseClients, type SupabaseClients } from '@mentora/db';

export interface WorkerInfra {
  config: Config;
  db: SupabaseClients;
  close(): Promise<void>;
}

export function createWorkerInfra(env: Record<string, string | undefined>): WorkerInfra {
  const config = loadConfig(env);
  const db = createSupabaseClients({
    url: config.database.supabaseUrl,
    anonKey: config.database.anonKey,
    serviceRoleKey: config.database.serviceRoleKey,
    headers: { 'x-application-name': `${config.app.name}-worker` },
  });
  return { config, db, close: () => db.close() };
}
