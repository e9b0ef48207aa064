// The simulated worker run lives with the seed data generator (src/seed), which uses it too.
export * from '../../src/seed/simulated-run.js';
