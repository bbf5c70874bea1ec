export const packageName = '@mentora/config';
