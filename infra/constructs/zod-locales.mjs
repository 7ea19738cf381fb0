// What the function bundles take of zod's `locales`: English only, the one zod configures itself
// with. The full set (every language's messages, about 260 KB minified) would sit in every entry file,
// because `z.locales` is a namespace esbuild cannot shake; no code here reads another locale
// (build-function.mjs puts this module in its place).
export { default as en } from 'zod/v4/locales/en.js';
