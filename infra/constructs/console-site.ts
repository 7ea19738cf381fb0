import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  GeoRestriction,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { StageConfig } from '#infra/config.ts';
import { acknowledge } from '#infra/nag.ts';
import { bucketPhysicalName } from '#infra/naming.ts';
import { buckets, consoleAuth } from '#infra/resources.ts';
import { consoleSecurityHeaders } from '#shared/console/security-headers.ts';

/**
 * The web console on AWS (docs/console.md): a Cognito user pool (groups = roles, custom attributes =
 * scope), the console API's routes on the HTTP API behind a JWT authorizer for that pool's app
 * client, and the static console in a private S3 bucket behind CloudFront (origin access control,
 * strict security headers; `/api/*` goes to the HTTP API through the same origin, so no CORS).
 */
export type ConsoleSiteProps = {
  readonly config: StageConfig;
  readonly api: HttpApi;
  readonly fn: IFunction & { addEnvironment(key: string, value: string): unknown };
  /** The built console (`npm run console:build`); deployed when present. */
  readonly webDir: string;
};

export class ConsoleSite extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly distribution: Distribution;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const { config } = props;
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        // Mutable for an administrator (AdminUpdateUserAttributes) only: the app client below may not
        // write them, so a user's own UpdateUserAttributes cannot widen their scope (docs/access.md).
        pools: new StringAttribute({
          minLen: 2,
          maxLen: consoleAuth.attributes.pools.maxLength,
          mutable: true,
        }),
        agency: new StringAttribute({
          minLen: 1,
          maxLen: consoleAuth.attributes.agency.maxLength,
          mutable: true,
        }),
      },
      removalPolicy:
        config.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG3',
      'Threat protection (advanced security) needs the Plus feature plan; a few dozen staff accounts, created by an administrator only, with MFA required.',
    );
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'The Plus feature plan (threat protection) is not needed for a few dozen administrator-created staff accounts with MFA required; revisit if self-service sign-up is ever added.',
    );
    for (const group of consoleAuth.groups) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
      });
    }
    const domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: `sertakan-${config.stage}-${Aws.ACCOUNT_ID}` },
    });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Only the built page, redeployable at any time; emptied by hand before the stack is deleted.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'The console bucket holds only the built static page (no data); it is rewritten by every deploy and read only by CloudFront through origin access control.',
    );

    const region = Stack.of(this).region;
    const intakeOrigin = `https://${bucketPhysicalName(config.stage, buckets.intake.name)}.s3.${region}.amazonaws.com`;
    const cognitoOrigin = `https://${domain.domainName}.auth.${region}.amazoncognito.com`;
    const headers = consoleSecurityHeaders({ connectTo: [intakeOrigin, cognitoOrigin] });
    const responseHeaders = new ResponseHeadersPolicy(this, 'Headers', {
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: headers['content-security-policy'] ?? '',
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    // The console routes its pages itself: a path without a file extension on the static behaviour is
    // served index.html. Attached to the default behaviour only, so /api/* answers pass through as sent.
    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      comment: 'console page routes -> /index.html (static files only, never /api/*)',
      code: FunctionCode.fromInline(
        [
          'function handler(event) {',
          '  var request = event.request;',
          "  if (request.uri.indexOf('.') === -1) request.uri = '/index.html';",
          '  return request;',
          '}',
        ].join('\n'),
      ),
    });
    this.distribution = new Distribution(this, 'Cdn', {
      comment: `SERTAKAN console (${config.stage})`,
      defaultRootObject: 'index.html',
      geoRestriction: GeoRestriction.allowlist('ID'),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: responseHeaders,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${consoleAuth.routePrefix}/*`]: {
          origin: new HttpOrigin(apiDomain),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: responseHeaders,
        },
      },
      // No errorResponses: they apply to every behaviour, so the API's 403/404 would reach the browser
      // as 200 index.html. The page's own routes are rewritten on the static behaviour only (above).
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'The console serves static files and an API whose own access logs (HTTP API stage) record every call; CloudFront standard logs would need an ACL-enabled bucket.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'No custom domain yet: the default *.cloudfront.net certificate fixes the minimum TLS version; a custom domain with TLSv1.2_2021 is the documented next step (infra/README.md).',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'The API behind /api checks a JWT and the scope on every request and is throttled at its stage; a WAF web ACL is the documented next step for production traffic.',
    );

    const site = `https://${this.distribution.distributionDomainName}`;
    this.client = this.userPool.addClient('Console', {
      generateSecret: false,
      // Managed login only (authorization code + PKCE) and refresh: no SRP or password flow, whose
      // access tokens would carry `aws.cognito.signin.user.admin` (self-service attribute calls).
      authFlows: { userSrp: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${site}/`],
        logoutUrls: [`${site}/`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
      // The scope is read from the ID token (readable) but only an administrator writes it: the one
      // attribute a user may change through this client is their language (docs/access.md).
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true, locale: true })
        .withCustomAttributes(...consoleAuth.adminOnlyAttributes),
      writeAttributes: new ClientAttributes().withStandardAttributes(consoleAuth.userWritable),
    });

    // The console API: JWT authorizer (issuer = the pool, audience = the client), then the function
    // verifies the same ID token again against the same JWKS (shared/console/tokens.ts).
    const issuer = `https://cognito-idp.${region}.amazonaws.com/${this.userPool.userPoolId}`;
    props.fn.addEnvironment('CONSOLE_TOKEN_ISSUER', issuer);
    props.fn.addEnvironment('CONSOLE_JWKS_URL', `${issuer}/.well-known/jwks.json`);
    props.fn.addEnvironment('CONSOLE_TOKEN_AUDIENCE', this.client.userPoolClientId);
    props.api.addRoutes({
      path: `${consoleAuth.routePrefix}/{proxy+}`,
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration: new HttpLambdaIntegration('ConsoleApiIntegration', props.fn),
      authorizer: new HttpJwtAuthorizer('ConsoleJwt', issuer, {
        jwtAudience: [this.client.userPoolClientId],
      }),
    });

    if (existsSync(join(props.webDir, 'index.html'))) {
      new BucketDeployment(this, 'Deploy', {
        destinationBucket: this.bucket,
        distribution: this.distribution,
        sources: [
          Source.asset(props.webDir),
          Source.jsonData('config.json', {
            mode: 'cognito',
            apiBase: '',
            domain: cognitoOrigin,
            clientId: this.client.userPoolClientId,
            redirectUri: `${site}/`,
          }),
        ],
      });
      // The deployment's own singleton function (CDK's, not ours): copies the asset into the bucket.
      const singleton = Stack.of(this).node.children.find((c) =>
        c.node.id.startsWith('Custom::CDKBucketDeployment'),
      );
      if (singleton !== undefined) {
        const why =
          "CDK's BucketDeployment custom resource (deploy time only): it copies the built console from the CDK asset bucket into the console bucket and invalidates CloudFront; its role and runtime are CDK's.";
        for (const id of [
          'AwsSolutions-L1',
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          'AwsSolutions-IAM5[Action::s3:GetBucket*]',
          'AwsSolutions-IAM5[Action::s3:GetObject*]',
          'AwsSolutions-IAM5[Action::s3:List*]',
          'AwsSolutions-IAM5[Action::s3:Abort*]',
          'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
          'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
          `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*]`,
          'AwsSolutions-IAM5[Resource::*]',
        ])
          acknowledge(singleton, id, why);
      }
    } else {
      Annotations.of(this).addWarningV2(
        'sertakan:console-not-built',
        `${props.webDir} has no index.html: run \`npm run console:build\` before \`cdk deploy\``,
      );
    }
    new CfnOutput(Stack.of(this), 'ConsoleUrl', { value: site });
    new CfnOutput(Stack.of(this), 'ConsoleUserPoolId', { value: this.userPool.userPoolId });
  }
}
