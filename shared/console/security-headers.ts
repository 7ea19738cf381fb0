/**
 * The console's response headers, the same locally as on CloudFront (infra/constructs/console-site.ts
 * sets them from this function): a strict CSP (scripts and styles from the console's own origin only;
 * inline styles allowed because ECharts positions its tooltip with style attributes), HSTS, no
 * framing, no sniffing, no referrer. `connectTo` adds the API and S3 origins the page talks to.
 */
export function consoleSecurityHeaders(opts: { connectTo: readonly string[] }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${opts.connectTo.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  };
}
