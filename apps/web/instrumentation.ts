// Next.js calls register() once when the server starts, before it handles a request: build the
// infrastructure there, so connections are up (or known down) before the first request arrives and the
// shutdown handler is installed.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getInfrastructure } = await import('./src/infrastructure');
  await getInfrastructure().ready();
}
