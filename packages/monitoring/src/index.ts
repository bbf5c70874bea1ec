export const packageName = '@mentora/monitoring';
