export const packageName = '@mentora/cache';
