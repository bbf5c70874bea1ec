export const packageName = '@mentora/jobs';
