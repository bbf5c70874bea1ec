import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The workspace packages ship built ESM/CJS; nothing needs transpiling here.
  poweredByHeader: false,
};

export default nextConfig;
