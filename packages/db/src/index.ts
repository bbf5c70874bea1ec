export const packageName = '@mentora/db';
