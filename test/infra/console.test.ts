import { describe, expect, it } from 'vitest';
import { logicalIdOf, resourcesOfType, synthesise } from '#test/infra/synth-fixture.ts';

/**
 * The console on AWS (infra/constructs/console-site.ts): Cognito groups and attributes, the JWT
 * authorizer on the console routes, the private bucket behind CloudFront with origin access control,
 * and the security headers.
 */
const { processing, processingTemplate } = synthesise('prod');
const props = (type: string) => resourcesOfType(processingTemplate, type).map(([, r]) => r.Properties ?? {});
const json = (v: unknown): string => JSON.stringify(v);

describe('console sign-in', () => {
  it('has one Cognito group per role, custom attributes for the scope, MFA and no self sign-up', () => {
    expect(
      props('AWS::Cognito::UserPoolGroup')
        .map((g) => g.GroupName)
        .sort(),
    ).toEqual(['finance', 'ops', 'treasurer']);
    const pool = props('AWS::Cognito::UserPool')[0] ?? {};
    expect(pool.MfaConfiguration).toBe('ON');
    expect(json(pool.AdminCreateUserConfig)).toContain('"AllowAdminCreateUserOnly":true');
    expect((pool.Schema as { Name: string }[]).map((a) => a.Name).sort()).toEqual(['agency', 'pools']);
    const [client] = props('AWS::Cognito::UserPoolClient');
    expect(client?.GenerateSecret).toBe(false);
    expect(client?.AllowedOAuthFlows).toEqual(['code']);
  });

  it('lets only an administrator write role and scope: the app client can read them, never write them', () => {
    const pool = props('AWS::Cognito::UserPool')[0] ?? {};
    const [client] = props('AWS::Cognito::UserPoolClient');
    // The role is the Cognito group: only AdminAddUserToGroup puts a user in one.
    expect((pool.Schema as { Name: string }[]).map((a) => a.Name).sort()).toEqual(['agency', 'pools']);
    // An absent WriteAttributes means "every attribute" to Cognito: it must be present and exact.
    expect(client?.WriteAttributes).toEqual(['locale']);
    const writes = client?.WriteAttributes as string[];
    for (const scoped of ['custom:pools', 'custom:agency']) {
      expect(writes).not.toContain(scoped);
      expect(client?.ReadAttributes).toContain(scoped);
    }
    // No SRP or password sign-in: their access tokens carry aws.cognito.signin.user.admin, the scope
    // that lets a user call UpdateUserAttributes on themselves; nor may the client ask for it.
    expect(client?.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client?.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
  });
});

describe('console API routes', () => {
  it('GET and POST /api/{proxy+} go to console-api behind a JWT authorizer for the pool and its client', () => {
    const routes = props('AWS::ApiGatewayV2::Route').filter((r) => String(r.RouteKey).includes('/api/'));
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['GET /api/{proxy+}', 'POST /api/{proxy+}']);
    expect(routes.every((r) => r.AuthorizationType === 'JWT')).toBe(true);
    const [authorizer] = props('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.AuthorizerType).toBe('JWT');
    const poolId = logicalIdOf(processing.console.userPool);
    expect(json(authorizer?.JwtConfiguration)).toContain(poolId);
    expect(json(authorizer?.JwtConfiguration)).toContain(logicalIdOf(processing.console.client));
    expect(json(authorizer?.IdentitySource)).toContain('$request.header.Authorization');
    // The finance routes keep IAM.
    const finance = props('AWS::ApiGatewayV2::Route').filter((r) => !String(r.RouteKey).includes('/api/'));
    expect(finance.map((r) => r.AuthorizationType)).toEqual(['AWS_IAM']);
  });

  it("gives console-api the token settings, verified against the user pool's JWKS", () => {
    const fn = resourcesOfType(processingTemplate, 'AWS::Lambda::Function').find(
      ([id]) => id === logicalIdOf(processing.functions.consoleApi.fn),
    );
    const env = json(fn?.[1].Properties?.Environment);
    for (const name of ['CONSOLE_JWKS_URL', 'CONSOLE_TOKEN_ISSUER', 'CONSOLE_TOKEN_AUDIENCE'])
      expect(env).toContain(name);
    expect(env).toContain('/.well-known/jwks.json');
  });
});

describe('static console', () => {
  it('is a private bucket that only CloudFront (this distribution, through OAC) may read', () => {
    const bucketId = logicalIdOf(processing.console.bucket);
    const [site] = resourcesOfType(processingTemplate, 'AWS::S3::Bucket').filter(([id]) => id === bucketId);
    expect(json(site?.[1].Properties?.PublicAccessBlockConfiguration)).toBe(
      json({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    );
    const policy = props('AWS::S3::BucketPolicy').find((p) => json(p.Bucket).includes(bucketId)) ?? {};
    const statements = (policy.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(json(allows[0]?.Principal)).toBe(json({ Service: 'cloudfront.amazonaws.com' }));
    expect(allows[0]?.Action).toBe('s3:GetObject');
    expect(json(allows[0]?.Condition)).toContain('AWS:SourceArn');
    expect(
      statements.some((s) => s.Effect === 'Deny' && json(s.Condition).includes('aws:SecureTransport')),
    ).toBe(true);
    expect(props('AWS::CloudFront::OriginAccessControl')).toHaveLength(1);
  });

  it('sends a strict CSP, HSTS, no framing and no sniffing on every response, HTTPS only, Indonesia only', () => {
    const policy = props('AWS::CloudFront::ResponseHeadersPolicy')[0] ?? {};
    const headers = (
      policy.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      }
    ).SecurityHeadersConfig;
    const csp = json(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    for (const part of [
      "default-src 'self'",
      "script-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ]) {
      expect(csp).toContain(part);
    }
    expect(csp).not.toContain('unsafe-eval');
    expect(headers.StrictTransportSecurity?.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(headers.FrameOptions?.FrameOption).toBe('DENY');
    expect(headers.ContentTypeOptions?.Override).toBe(true);
    const [dist] = props('AWS::CloudFront::Distribution');
    const config = dist?.DistributionConfig as Record<string, Record<string, unknown>>;
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(json(config.DefaultCacheBehavior?.ResponseHeadersPolicyId)).toContain('Headers');
    expect(json(config.Restrictions)).toContain('"ID"');
    expect(json(config.CacheBehaviors)).toContain('/api/*');
  });
});
