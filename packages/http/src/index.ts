export const packageName = '@mentora/http';
