/** Secrets the worker tests run with: `.dev.vars` is overridden, so runs are reproducible. */
export const TEST_SECRETS = {
  ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
  HASH_SECRET: "test-hash-secret-0123456789abcdef",
};
