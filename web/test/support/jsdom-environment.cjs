// jsdom lacks the fetch API that React Router's data router builds its navigations with: lend it
// Node's (with Node's AbortController, which Node's Request insists on).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads this CommonJS file with require
const { TestEnvironment } = require('jest-environment-jsdom');

module.exports = class JsdomWithFetch extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['fetch', 'Request', 'Response', 'Headers', 'AbortController', 'AbortSignal', 'ReadableStream', 'structuredClone']) {
      this.global[name] = globalThis[name];
    }
  }
};
