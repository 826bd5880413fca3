// The Worker loads zod and its schemas on the first body it validates (see worker/http/json.ts).
// Deployed, that is a module already in the bundle; here the test runner fetches and transforms
// dozens of zod files, which takes seconds on a busy machine and would count against whichever
// test happens to validate first. Loading them up front keeps test timings about the Worker.
await import("../../../worker/schemas");
export {};
