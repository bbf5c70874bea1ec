export const packageName = '@mentora/ratelimit';
