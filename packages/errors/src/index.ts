export const packageName = '@mentora/errors';
