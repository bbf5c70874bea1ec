/** Plain-data view of an error for a log context (the logger may not serialise Error objects). */
export function errorInfo(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { message: String(error) };
}
