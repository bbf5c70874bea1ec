// The benchmark's own Next.js app: two route handlers, the same body, one bare and one through
// withInfrastructure, built and served with `next start` like the web app.
export default { poweredByHeader: false };
