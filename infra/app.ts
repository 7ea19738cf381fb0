import { App } from 'aws-cdk-lib';
import { loadStageConfig } from '#infra/config.ts';
import { buildSertakanApp } from '#infra/sertakan-app.ts';

// Entry point for `cdk synth|deploy` (cdk.json). Stage: `-c stage=dev|prod`; optional `-c opsEmail=...`,
// `-c financeCallers='[...]'` (docs/access.md).
const app = new App();
const config = loadStageConfig({
  stage: app.node.tryGetContext('stage'),
  opsEmail: app.node.tryGetContext('opsEmail'),
  financeCallers: app.node.tryGetContext('financeCallers'),
});
buildSertakanApp(app, config);
app.synth();
