export default { test: { globalSetup: 'authemu/global-setup', include: ['*.vitest.test.mjs'] } };
